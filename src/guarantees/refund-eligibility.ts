import { decideEligibility } from './guarantee-eligibility';
import type { GuaranteeDeps } from './guarantee-deps';
import { guaranteePurchases } from './guarantee-purchases.repository';
import { priorClaimsOf, refundClaims } from './refund-claims.repository';

/** One purchase and what its guarantee says now. */
export interface EligibilityLine {
  purchase_id: string;
  product: string;
  kind: string;
  paid_at: string;
  eligible: boolean;
  amount: number | null;
  currency: string;
  deadline: string | null;
  reason: string | null;
}

/**
 * GET /v1/refunds/eligibility: every paid purchase of the caller's account with what its
 * guarantee allows now — covered ones with amount, currency and deadline, the others with why.
 * The amount is the policy's, before Stripe's own balance is asked (done only when claiming).
 */
export async function refundEligibility(deps: GuaranteeDeps, accountId: string): Promise<EligibilityLine[]> {
  const [purchases, claims, account, usageShare] = await Promise.all([
    guaranteePurchases.ofAccount(deps.dataSource, accountId),
    refundClaims.ofAccount(deps.dataSource, accountId),
    deps.accounts.find(accountId),
    deps.usageShare(accountId),
  ]);
  const now = deps.clock.now();
  const priorClaims = priorClaimsOf(claims);
  return purchases.map((purchase) => {
    const decision = decideEligibility({
      policies: deps.policies,
      purchase,
      country: account?.country ?? '',
      priorClaims,
      usageShare,
      now,
    });
    return {
      purchase_id: purchase.id,
      product: purchase.product,
      kind: purchase.category,
      paid_at: purchase.paidAt.toISOString(),
      eligible: decision.eligible,
      amount: decision.eligible ? decision.amount : null,
      currency: decision.currency,
      deadline: decision.deadline ? decision.deadline.toISOString() : null,
      reason: decision.eligible ? null : decision.reason,
    };
  });
}
