import { decideEligibility } from './guarantee-eligibility';
import type { GuaranteeDeps } from './guarantee-deps';
import { guaranteePurchases, type ClaimablePurchase } from './guarantee-purchases.repository';
import { asBought, readLedger } from './read-ledger';
import { refundAmount } from './refund-amount';
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
 * A purchase the policy would cover is measured against its ledger (Stripe's invoices and charge):
 * the amount shown is what a claim would refund now, and one with nothing left says so.
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
  const decide = (purchase: ClaimablePurchase) =>
    decideEligibility({
      policies: deps.policies,
      purchase,
      country: account?.country ?? '',
      priorClaims,
      usageShare,
      now,
    });
  const lines: EligibilityLine[] = [];
  for (const purchase of purchases) {
    let decision = decide(purchase);
    if (decision.eligible) {
      // Sequential on purpose: one account's purchases, a few Stripe reads each.
      const ledger = await readLedger(deps, purchase);
      decision = decide(asBought(purchase, ledger));
      if (decision.eligible && refundAmount(decision.amount, ledger) <= 0)
        decision = {
          eligible: false,
          reason: 'nothing_to_refund',
          deadline: decision.deadline,
          currency: decision.currency,
        };
      else if (decision.eligible) decision = { ...decision, amount: refundAmount(decision.amount, ledger) };
    }
    lines.push({
      purchase_id: purchase.id,
      product: purchase.product,
      kind: purchase.category,
      paid_at: purchase.paidAt.toISOString(),
      eligible: decision.eligible,
      amount: decision.eligible ? decision.amount : null,
      currency: decision.currency,
      deadline: decision.deadline ? decision.deadline.toISOString() : null,
      reason: decision.eligible ? null : decision.reason,
    });
  }
  return lines;
}
