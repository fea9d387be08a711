import type { Stripe } from '../stripe/stripe-client';
import { definitelyRefused, translateStripeError } from '../stripe/stripe-errors';
import type { GuaranteeDeps } from './guarantee-deps';
import { guaranteePurchases, type ClaimablePurchase } from './guarantee-purchases.repository';
import { claimKey, refundClaims, type RefundClaim } from './refund-claims.repository';
import { recheckUnderLane } from './recheck-under-lane';
import { reversePurchase } from './reverse-purchase';

/**
 * Executes a claimed refund, or resumes one a crash or a 5xx interrupted: the Stripe refund
 * (key `claim-<id>-refund`), then the reversal of what was bought, then the claim completed, the
 * purchase marked refunded and the audit entry, in one transaction. A resumed run first asks
 * Stripe what the interrupted one did (the refund by its metadata, the subscription as it is) and
 * sends what is left under keys of its own run: Stripe replays a saved 500 for the first key
 * (STRIPE.md), so re-sending it could never finish the claim. NOTE: no database transaction is
 * open during a Stripe call.
 */
export async function carryOutClaim(
  deps: GuaranteeDeps,
  claim: RefundClaim,
  purchase: ClaimablePurchase,
): Promise<RefundClaim> {
  const key = await runKeys(deps, claim);
  if (claim.state === 'claimed') claim = await refundOnStripe(deps, claim, purchase, key);
  const reversal = claim.reverse
    ? await step(deps, claim, () => reversePurchase(deps, claim, purchase, key))
    : { action: 'none', why: 'operator refund without reversal' };
  await deps.dataSource.transaction(async (manager) => {
    await refundClaims.complete(manager, claim.id, reversal);
    // NOTE: refunded_at means "refunded and taken back" (analytics reads it as a reversed change);
    // an operator's refund that keeps what was bought is known from the charge mirror instead.
    if (claim.reverse) await guaranteePurchases.markRefunded(manager, purchase.id);
    await refundClaims.audit(manager, {
      claimId: claim.id,
      actor: claim.requestedBy,
      action: 'refund_completed',
      reason: claim.reason,
      details: { amount: claim.amount, currency: claim.currency, reversal },
    });
  });
  return (await refundClaims.find(deps.dataSource, claim.id)) as RefundClaim;
}

/**
 * The keys of this run's Stripe steps: the claim's derived keys on its first run; on a run that
 * took the claim over (its `updated_at` moved past its creation), keys suffixed with that moment.
 */
async function runKeys(deps: GuaranteeDeps, claim: RefundClaim): Promise<(step: string) => string> {
  const rows: Array<{ first: boolean; run: string }> = await deps.dataSource.query(
    `SELECT updated_at = created_at AS first, (extract(epoch FROM updated_at) * 1000000)::bigint::text AS run
       FROM refund_claims WHERE id = $1`,
    [claim.id],
  );
  const row = rows[0];
  return (step) => (!row || row.first ? claimKey(claim, step) : claimKey(claim, `${step}-run${row.run}`));
}

/** The refund an interrupted run made for this claim, if Stripe has it. */
async function madeRefund(
  deps: GuaranteeDeps,
  claim: RefundClaim,
  target: { charge: string } | { payment_intent: string },
): Promise<Stripe.Refund | undefined> {
  const refunds = await deps.stripe.refunds.list({ ...target, limit: 100 });
  return refunds.data.find((refund) => refund.metadata?.tierlift_claim_id === claim.id);
}

/** The claim's refund in Stripe, made or found; answers the claim as refunded (its amount checked again on a resume). */
async function refundOnStripe(
  deps: GuaranteeDeps,
  claim: RefundClaim,
  purchase: ClaimablePurchase,
  key: (step: string) => string,
): Promise<RefundClaim> {
  const target = purchase.stripeChargeId
    ? { charge: purchase.stripeChargeId }
    : { payment_intent: purchase.stripePaymentIntentId ?? '' };
  const resumed = key('refund') !== claimKey(claim, 'refund');
  const made = resumed ? await refundStep(deps, claim, () => madeRefund(deps, claim, target)) : undefined;
  // NOTE: a resumed claim that Stripe holds no refund for has sent nothing: the run that claimed it
  // may have stopped before its check under the lane (a crash, Stripe failing that read), so its
  // amount, read before the claim took the lane, is checked again now as that run would have.
  const checked = made || !resumed ? claim : await recheckUnderLane(deps, claim, purchase);
  return refundStep(deps, checked, async () => {
    const refund =
      made ??
      (await deps.stripe.refunds.create(
        {
          ...target,
          amount: checked.amount,
          reason: 'requested_by_customer',
          metadata: { tierlift_claim_id: checked.id, tierlift_purchase_id: purchase.id },
        },
        { idempotencyKey: key('refund') },
      ));
    const charge = typeof refund.charge === 'string' ? refund.charge : (refund.charge?.id ?? null);
    await refundClaims.markRefunded(deps.dataSource, checked.id, { id: refund.id, charge });
    return checked;
  });
}

/** A step up to the refund: a definite refusal fails the claim, anything else leaves it for a retry. */
async function refundStep<T>(deps: GuaranteeDeps, claim: RefundClaim, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const translated = translateStripeError(error);
    if (definitelyRefused(error)) {
      await refundClaims.fail(deps.dataSource, claim.id, { code: translated.code, message: translated.message });
    } else await refundClaims.releaseLease(deps.dataSource, claim.id);
    throw translated;
  }
}

/** A Stripe step after the refund: any failure leaves the claim `refunded` for a retry to finish. */
async function step<T>(deps: GuaranteeDeps, claim: RefundClaim, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    deps.logger.warn('refund reversal interrupted; the claim stays refunded for a retry', {
      claimId: claim.id,
      error: String(error),
    });
    await refundClaims.releaseLease(deps.dataSource, claim.id);
    throw translateStripeError(error);
  }
}
