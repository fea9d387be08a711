import { notFound } from '../shared/errors';
import { carryOutClaim } from './carry-out-claim';
import { recheckUnderLane } from './recheck-under-lane';
import { decideEligibility } from './guarantee-eligibility';
import type { GuaranteeDeps } from './guarantee-deps';
import { guaranteePurchases } from './guarantee-purchases.repository';
import { priorClaimsOf, refundClaims, type RefundClaim } from './refund-claims.repository';
import { asBought, readLedger } from './read-ledger';
import { refundAmount } from './refund-amount';
import { refusalError } from './refusal-error';

export interface ManualRefundRequest {
  purchaseId: string;
  reason: string;
  /** Defaults to what is left of the charge (outside policy) or what the policy allows. */
  amount?: number;
  /** Refund even where the policy refuses; only the admin credential reaches this. */
  outsidePolicy: boolean;
  /** Take back what was bought too (default true). */
  reverse: boolean;
}

/**
 * POST /admin/v1/refunds: an operator's refund with a reason, audit-logged before Stripe is
 * called. Within policy it obeys eligibility like a customer's claim; outside policy it skips the
 * policy but never the ledger: never beyond captured − refunded − credit Stripe already returned.
 */
export async function manualRefund(deps: GuaranteeDeps, request: ManualRefundRequest): Promise<RefundClaim> {
  const purchase = await guaranteePurchases.find(deps.dataSource, request.purchaseId);
  if (!purchase) throw notFound('Purchase', 'purchase_id');
  let wanted = request.amount ?? purchase.amount;
  const ledger = await readLedger(deps, purchase);
  if (!request.outsidePolicy) {
    const account = await deps.accounts.find(purchase.accountId);
    const claims = await refundClaims.ofAccount(deps.dataSource, purchase.accountId);
    const decision = decideEligibility({
      policies: deps.policies,
      purchase: asBought(purchase, ledger),
      country: account?.country ?? '',
      priorClaims: priorClaimsOf(claims),
      usageShare: await deps.usageShare(purchase.accountId),
      now: deps.clock.now(),
    });
    if (!decision.eligible) throw refusalError(decision.reason, decision.deadline);
    wanted = Math.min(wanted, decision.amount);
  }
  const amount = refundAmount(wanted, ledger);
  if (amount <= 0) throw refusalError('nothing_to_refund', null);
  const claim = await refundClaims.insert(deps.dataSource, {
    accountId: purchase.accountId,
    purchaseId: purchase.id,
    product: purchase.product,
    purchaseKind: purchase.category,
    source: 'operator',
    withinPolicy: !request.outsidePolicy,
    onceKey: null,
    reverse: request.reverse,
    reason: request.reason,
    requestedBy: 'admin',
    currency: purchase.currency,
    amount,
    stripeChargeId: purchase.stripeChargeId,
  });
  const checked = await recheckUnderLane(deps, claim, purchase);
  await refundClaims.audit(deps.dataSource.manager, {
    claimId: claim.id,
    actor: 'admin',
    action: request.outsidePolicy ? 'manual_refund_outside_policy' : 'manual_refund',
    reason: request.reason,
    details: { amount: checked.amount, currency: purchase.currency, reverse: request.reverse },
  });
  return carryOutClaim(deps, checked, purchase);
}
