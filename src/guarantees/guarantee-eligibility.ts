import type { Eligibility, EligibilityInput, GuaranteePolicy, PriorClaim, RefusalReason } from './guarantee.types';
import { deadlineOf, windowDays } from './guarantee-windows';

const YEAR_MS = 365 * 86_400_000;

/**
 * Pure: whether a purchase may be refunded under its guarantee now, and for how much.
 * The checks run in a fixed order so the reason given is the most fundamental one:
 * coverage, this purchase, this product, cycling, the window, then the conditions.
 */
export function decideEligibility(input: EligibilityInput): Eligibility {
  const { purchase, now } = input;
  const currency = purchase.currency;
  const refuse = (reason: RefusalReason, deadline: Date | null = null): Eligibility => ({
    eligible: false,
    reason,
    deadline,
    currency,
  });
  if (purchase.category === 'interval_change') return refuse('not_covered');
  const kind = purchase.category === 'renewal' ? kindOfRenewal(purchase.product) : purchase.category;
  const policy = input.policies?.[kind];
  const days = windowDays(input.policies, kind, input.country);
  if (!policy || days === null) return refuse('not_covered');
  if (purchase.category === 'renewal' && !policy.covers_renewals) return refuse('renewal_not_covered');
  const deadline = deadlineOf(purchase.paidAt, days);
  const covered = input.priorClaims.filter((claim) => claim.withinPolicy);
  if (input.priorClaims.some((claim) => claim.purchaseId === purchase.id)) return refuse('already_refunded', deadline);
  if (policy.once_per_product && covered.some((claim) => claim.product === purchase.product))
    return refuse('already_claimed', deadline);
  if (overCyclingLimit(policy, covered, now)) return refuse('cycling_limit', deadline);
  if (now.getTime() > deadline.getTime()) return refuse('window_closed', deadline);
  if (policy.conditions.not_started && purchase.startsAt && now.getTime() >= purchase.startsAt.getTime())
    return refuse('training_started', deadline);
  const maxPercent = policy.conditions.max_usage_percent;
  if (maxPercent !== undefined && input.usageShare !== null && input.usageShare * 100 > maxPercent)
    return refuse('usage_above_limit', deadline);
  const amount = Math.min(refundable(policy, input), purchase.amount - purchase.alreadyRefunded);
  if (amount <= 0) return refuse('nothing_to_refund', deadline);
  return { eligible: true, amount, currency, deadline, windowDays: days };
}

function kindOfRenewal(product: string): 'plan_upgrade' | 'recurring_add_on' {
  return product.startsWith('add_on:') ? 'recurring_add_on' : 'plan_upgrade';
}

function overCyclingLimit(policy: GuaranteePolicy, covered: readonly PriorClaim[], now: Date): boolean {
  if (policy.max_claims_per_year === undefined) return false;
  const recent = covered.filter((claim) => now.getTime() - claim.at.getTime() < YEAR_MS);
  return recent.length >= policy.max_claims_per_year;
}

/**
 * The whole charge, or the unused share of the bought period rounded down to the minor unit
 * (so the rounding never favours a refund beyond what was paid).
 */
function refundable(policy: GuaranteePolicy, input: EligibilityInput): number {
  const { purchase, now } = input;
  if (policy.refund === 'full_charge' || !purchase.periodEnd) return purchase.amount;
  const total = purchase.periodEnd.getTime() - purchase.paidAt.getTime();
  if (total <= 0) return 0;
  const left = Math.min(Math.max(purchase.periodEnd.getTime() - now.getTime(), 0), total);
  return Math.floor((purchase.amount * left) / total);
}
