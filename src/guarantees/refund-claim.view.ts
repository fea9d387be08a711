import type { RefundClaim } from './refund-claims.repository';

const STATUS: Record<RefundClaim['state'], string> = {
  claimed: 'pending',
  refunded: 'pending',
  completed: 'succeeded',
  failed: 'failed',
};

/** A claim as the API shows it (`POST /v1/refunds`, the account's refunds, operators' list). */
export function refundClaimView(claim: RefundClaim): Record<string, unknown> {
  return {
    object: 'refund',
    id: claim.id,
    status: STATUS[claim.state],
    amount: claim.amount,
    currency: claim.currency,
    purchase_id: claim.purchaseId,
    product: claim.product,
    kind: claim.purchaseKind,
    source: claim.source,
    within_policy: claim.withinPolicy,
    reason: claim.reason,
    reversal: claim.reversal,
    stripe_refund: claim.stripeRefundId,
    confirmed: claim.confirmedAt !== null,
    created_at: claim.createdAt.toISOString(),
    completed_at: claim.completedAt ? claim.completedAt.toISOString() : null,
  };
}
