import { decideEligibility } from './guarantee-eligibility';
import type {
  GuaranteePolicies,
  GuaranteePolicy,
  PriorClaim,
  PurchaseCategory,
  RefusalReason,
} from './guarantee.types';

/** The rules a granted guarantee comes with, as data (the words are `conditionWords`). */
export interface GuaranteeConditions {
  /** Days from the payment within which a claim is accepted (regional minimums included). */
  window_days: number;
  /** `full_charge`, or `unused_part`: the share of the bought period not yet used. */
  refund: GuaranteePolicy['refund'];
  /** A product refunded once for the account is never refunded again. */
  once_per_product: boolean;
  /** Whether renewal charges are covered too; null when nothing renews (one-time packages). */
  covers_renewals: boolean | null;
  /** Covered claims allowed per account in any 365 days; null when unlimited. */
  max_claims_per_year: number | null;
  /** The highest share of the new limits that may be used at claim time; null when none. */
  max_usage_percent: number | null;
  /** A training package must not have started. */
  not_started: boolean;
}

/** What may be promised for a purchase not yet made: a window with its conditions, or why none. */
export type PromisedGuarantee =
  | { eligible: true; days: number; conditions: GuaranteeConditions; reason: null }
  | { eligible: false; days: null; conditions: null; reason: RefusalReason };

/** A purchase about to be made, in guarantee terms (see `categorise` for how a purchase is read). */
export interface Prospect {
  category: Exclude<PurchaseCategory, 'renewal'>;
  /** `plan:<code>` or `add_on:<code>`, as the purchase will be recorded. */
  product: string;
}

export interface PromiseInput {
  policies: GuaranteePolicies | undefined;
  country: string;
  /** The account's claims so far (failed ones excluded). */
  priorClaims: readonly PriorClaim[];
  prospect: Prospect;
  now: Date;
}

/**
 * Pure: the guarantee a quote or a prompt may announce. It asks `decideEligibility` about the
 * purchase as if it were paid now and claimed at once, so whatever the rules would refuse for this
 * account and product before any use (not covered, an interval change, the product already
 * refunded, the cycling limit) is never promised. What only a later claim can tell (usage, the
 * training's start, the window) is stated as a condition.
 */
export function promisedGuarantee(input: PromiseInput): PromisedGuarantee {
  const { prospect, now } = input;
  const decision = decideEligibility({
    policies: input.policies,
    purchase: {
      id: 'prospective',
      category: prospect.category,
      product: prospect.product,
      amount: 1,
      currency: 'xxx',
      paidAt: now,
      periodEnd: null,
      startsAt: null,
      alreadyRefunded: 0,
    },
    country: input.country,
    priorClaims: input.priorClaims,
    usageShare: null,
    now,
  });
  if (!decision.eligible) return { eligible: false, days: null, conditions: null, reason: decision.reason };
  // NOTE: decideEligibility granted it, so the category is a covered kind with a policy.
  const kind = prospect.category as Exclude<Prospect['category'], 'interval_change'>;
  const policy = input.policies?.[kind] as GuaranteePolicy;
  return {
    eligible: true,
    days: decision.windowDays,
    conditions: {
      window_days: decision.windowDays,
      refund: policy.refund,
      once_per_product: policy.once_per_product,
      covers_renewals: kind === 'one_time' ? null : policy.covers_renewals,
      max_claims_per_year: policy.max_claims_per_year ?? null,
      max_usage_percent: policy.conditions.max_usage_percent ?? null,
      not_started: policy.conditions.not_started,
    },
    reason: null,
  };
}
