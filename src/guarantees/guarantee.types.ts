import type { z } from 'zod';
import type { guaranteePolicySchema, guaranteesSchema } from '../catalog/guarantee-policy.schema';

export type GuaranteePolicy = z.output<typeof guaranteePolicySchema>;
export type GuaranteePolicies = z.output<typeof guaranteesSchema>;

/** The kinds of purchase a policy can cover; `renewal` and `interval_change` are recorded but never first purchases. */
export type GuaranteeKind = 'plan_upgrade' | 'recurring_add_on' | 'one_time';
export type PurchaseCategory = GuaranteeKind | 'renewal' | 'interval_change';

/** What eligibility needs to know about one purchase, in plain data. */
export interface CoveredPurchase {
  id: string;
  category: PurchaseCategory;
  /** The product it bought, e.g. `plan:premium` or `add_on:training_agency`. */
  product: string;
  /** The charge of that purchase, in minor units. */
  amount: number;
  currency: string;
  paidAt: Date;
  /** When the bought period ends (for `unused_part`); null for one-time packages. */
  periodEnd: Date | null;
  /** A training package's start date, when one is set. */
  startsAt: Date | null;
  /** What Stripe already refunded of this purchase's charge. */
  alreadyRefunded: number;
}

/** A claim already made by the account (any purchase), failed ones excluded. */
export interface PriorClaim {
  purchaseId: string;
  product: string;
  withinPolicy: boolean;
  at: Date;
}

export type RefusalReason =
  | 'not_covered'
  | 'renewal_not_covered'
  | 'window_closed'
  | 'already_refunded'
  | 'already_claimed'
  | 'cycling_limit'
  | 'training_started'
  | 'usage_above_limit'
  | 'nothing_to_refund'
  /** A first subscription that still holds what later purchases added on top of it: those first. */
  | 'later_purchases_first';

export interface EligibilityInput {
  policies: GuaranteePolicies | undefined;
  purchase: CoveredPurchase;
  /** The account's ISO 3166 country, for regional minimums. */
  country: string;
  priorClaims: readonly PriorClaim[];
  /** Highest share (0–1) of any metered limit used now; null when unknown. */
  usageShare: number | null;
  now: Date;
}

export type Eligibility =
  | { eligible: true; amount: number; currency: string; deadline: Date; windowDays: number }
  | { eligible: false; reason: RefusalReason; deadline: Date | null; currency: string };
