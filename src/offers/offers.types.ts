import type { PriceDecline } from '../lifecycle/decline-guardrail.rules';
import type { Catalog, Interval } from '../catalog/catalog.types';
import type { PriorClaim } from '../guarantees/guarantee.types';
import type { OfferSituation } from '../guarantees/offer-guarantee-days';
import type { GuaranteeConditions } from '../guarantees/promised-guarantee';
import type { OfferRule, OfferRules, Placement } from './offer-rules.types';

/**
 * The evaluator's input, as plain data: nothing here knows Express, TypeORM or the usage
 * module's internals. Adapters (offer-context.repository.ts, usage-facts.ts) fill it.
 */
export interface OfferAccount {
  id: string;
  /** ISO 3166 alpha-2, uppercase. */
  country: string;
  locale: string;
  industry: string | null;
  companySize: string | null;
  signedUpAt: Date;
}

/** The granting subscription; null means the free plan. */
export interface OfferSubscription {
  planCode: string;
  interval: Interval;
  currency: string;
  currentPeriodStart: Date;
  currentPeriodEnd: Date;
  cancelAtPeriodEnd: boolean;
  /** When the subscription began (months on monthly count from here). */
  startedAt: Date;
  /** When the current plan was bought (post-purchase offers count from here). */
  planSince: Date;
  addOns: Array<{ code: string; quantity: number }>;
}

/** One metered feature this period: limit (null = unlimited), use, and where it is heading. */
export interface FeatureUsage {
  feature: string;
  limit: number | null;
  used: number;
  percent: number | null;
  projectedTotal: number;
  /** When the limit is reached at the current pace; null if not within the period. */
  projectedLimitAt: Date | null;
  /** The feature's own current period (monthly API calls on a yearly plan); absent: the billing period. */
  period?: { start: Date; end: Date };
}

export interface UsageCrossing {
  feature: string;
  threshold: number;
  periodStart: Date;
  crossedAt: Date;
}

export interface UsageFacts {
  period: { start: Date; end: Date };
  features: FeatureUsage[];
  /** Boolean features the account has switched on. */
  enabled: string[];
  crossings: UsageCrossing[];
}

/** Something bought once (one-time add-ons) or on the subscription, with when. */
export interface Purchase {
  kind: 'plan' | 'add_on';
  code: string;
  at: Date;
}

export type PromptEventType = 'impression' | 'click' | 'dismiss' | 'snooze' | 'never';

export interface OfferHistoryEvent {
  ruleId: string;
  promptId: string;
  type: PromptEventType;
  at: Date;
}

/** Held code (plan or add-on) → add-on code → how many accounts of the segment hold both. */
export type CoPurchaseCounts = Readonly<Record<string, Readonly<Record<string, number>>>>;

/** An experiment's say over a rule (issue 10). null: no experiment, the rule as written. */
export interface VariantAssignment {
  key: string;
  variant: string;
  /** Show nothing from this rule (a hold-out group). */
  holdout?: boolean;
  /** Another copy key for this variant. */
  copy?: string;
  /** Parts of the rule this variant replaces: what is offered, where, when, in which words. */
  overrides?: Partial<Pick<OfferRule, 'offer' | 'placements' | 'trigger' | 'copy' | 'priority' | 'guarantee_days'>>;
}

export type AssignVariant = (account: OfferAccount, rule: OfferRule) => VariantAssignment | null;

export interface EvaluationInput {
  account: OfferAccount;
  subscription: OfferSubscription | null;
  usage: UsageFacts;
  purchases: Purchase[];
  history: OfferHistoryEvent[];
  rules: OfferRules;
  catalog: Catalog;
  now: Date;
  placement: Placement;
  feature?: string;
  role: 'owner' | 'admin' | 'member';
  coPurchases: CoPurchaseCounts;
  /** The guarantees module's answer for an offer, when it exists; else the rule's own days. */
  guaranteeDays?: (target: OfferTarget, account: OfferAccount) => number | null;
  /**
   * The guarantees module's promise for an offer to this account (its window and conditions, or
   * none where the rules would refuse it); when present it stands over `guaranteeDays`.
   */
  guarantee?: OfferGuaranteeHook;
  /** The account's claims under its guarantees, failed ones excluded (what may no longer be promised). */
  refundClaims?: readonly PriorClaim[];
  /** Prompts declined as "too expensive" in the last 30 days (lifecycle's guardrail). */
  priceDeclines?: readonly PriceDecline[];
  assignVariant?: AssignVariant;
  /** Told of each rule an experiment held out that would otherwise have been considered (its holdout exposure). */
  onHeldOut?: (rule: OfferRule, experiment: { key: string; variant: string }) => void;
}

/** What a purchase of an offer is guaranteed: a window with its conditions, or nothing. */
export interface OfferGuarantee {
  days: number | null;
  conditions: GuaranteeConditions | null;
}

export type OfferGuaranteeHook = (
  target: OfferTarget,
  account: OfferAccount,
  situation: OfferSituation,
  now: Date,
) => OfferGuarantee;

export type OfferTarget =
  | {
      type: 'plan';
      code: string;
      interval: Interval;
      amount: number;
      currency: string;
      /** What the current plan costs per month. */ currentAmount: number;
      annualSaving: number | null;
    }
  | { type: 'addon'; code: string; quantity: number; interval: Interval | 'one_time'; amount: number; currency: string }
  | {
      type: 'bundle';
      code: string;
      interval: Interval;
      amount: number;
      currency: string;
      regular: number;
      discount: number;
      renewal: number;
      percentOff: number;
    };

export interface OfferReason {
  trigger: OfferRule['trigger']['type'];
  feature?: string;
  percent?: number;
  threshold?: number;
  projectedLimitAt?: Date | null;
  days?: number;
}

/** One decided prompt, before words: what, why, and under which terms. */
export interface DecidedOffer {
  promptId: string;
  /** The period the prompt id is stable within (billing period, lifecycle moment or season). */
  periodKey: string;
  rule: OfferRule;
  kind: OfferRule['kind'];
  placement: Placement;
  target: OfferTarget;
  reason: OfferReason;
  /** A real end date (seasonal windows); only then may copy speak of time. */
  endsAt: Date | null;
  guaranteeDays: number | null;
  /** The guarantee's conditions when the guarantees module promised one; absent or null otherwise. */
  guaranteeConditions?: GuaranteeConditions | null;
  toneProfile: string;
  copyKey: string;
  expectedValue: number;
  /** Members cannot buy: their prompt asks an admin instead. */
  canPurchase: boolean;
  experiment: { key: string; variant: string } | null;
}
