import { definitelyRefused, translateStripeError } from '../stripe/stripe-errors';
import type { GuaranteeDeps } from './guarantee-deps';
import { guaranteePurchases, type ClaimablePurchase } from './guarantee-purchases.repository';
import { claimKey, refundClaims, type RefundClaim } from './refund-claims.repository';
import { reversePurchase } from './reverse-purchase';

/**
 * Executes a claimed refund, or resumes one a crash or a 5xx interrupted: the Stripe refund
 * (key `claim-<id>-refund`, so a repeat replays the same refund), then the reversal of what was
 * bought, then the claim completed, the purchase marked refunded and the audit entry, in one
 * transaction. NOTE: no database transaction is open during a Stripe call.
 */
export async function carryOutClaim(
  deps: GuaranteeDeps,
  claim: RefundClaim,
  purchase: ClaimablePurchase,
): Promise<RefundClaim> {
  if (claim.state === 'claimed') await refundOnStripe(deps, claim, purchase);
  const reversal = claim.reverse
    ? await step(deps, claim, () => reversePurchase(deps, claim, purchase))
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

async function refundOnStripe(deps: GuaranteeDeps, claim: RefundClaim, purchase: ClaimablePurchase): Promise<void> {
  const target = purchase.stripeChargeId
    ? { charge: purchase.stripeChargeId }
    : { payment_intent: purchase.stripePaymentIntentId ?? '' };
  try {
    const refund = await deps.stripe.refunds.create(
      {
        ...target,
        amount: claim.amount,
        reason: 'requested_by_customer',
        metadata: { tierlift_claim_id: claim.id, tierlift_purchase_id: purchase.id },
      },
      { idempotencyKey: claimKey(claim, 'refund') },
    );
    const charge = typeof refund.charge === 'string' ? refund.charge : (refund.charge?.id ?? null);
    await refundClaims.markRefunded(deps.dataSource, claim.id, { id: refund.id, charge });
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
