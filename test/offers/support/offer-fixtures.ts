import { loadCatalog } from '../../../src/catalog/load-catalog';
import type { Catalog } from '../../../src/catalog/catalog.types';
import { offerRuleSchema } from '../../../src/offers/offer-rule.schema';
import type { OfferRule, OfferRules } from '../../../src/offers/offer-rules.types';
import type {
  EvaluationInput,
  FeatureUsage,
  OfferAccount,
  OfferHistoryEvent,
  OfferSubscription,
  UsageFacts,
} from '../../../src/offers/offers.types';
import { loadOfferRulesFile, defaultOfferRulesFile } from '../../../src/offers/load-offer-rules';
import { copyKeys, loadOfferCopy } from '../../../src/offers/offer-copy';

export const DAY = 24 * 3600 * 1000;
export const NOW = new Date('2026-11-22T12:00:00Z');
export const daysAgo = (days: number, from: Date = NOW) => new Date(from.getTime() - days * DAY);
export const daysLater = (days: number, from: Date = NOW) => new Date(from.getTime() + days * DAY);

const loaded = loadCatalog();
export const catalog: Catalog = loaded.catalog;
export const catalogWords = loaded.messages;
export const offerCopy = loadOfferCopy();

/** The seeded rules file, validated against the demo catalog and the English copy. */
export function seededRules(): OfferRules {
  return loadOfferRulesFile(defaultOfferRulesFile(), catalog, copyKeys(offerCopy));
}

/** Market settings for focused tests: a direct default and a relationship-first Japan. */
export function settings(overrides: Partial<OfferRules> = {}): OfferRules {
  const seeded = seededRules();
  return {
    ...seeded,
    tone_profiles: {
      direct: {
        copy_variant: 'direct',
        caps: { per_day: 10, per_week: 50 },
        dismiss_cooldown_days: 7,
        max_per_placement: 5,
        social_proof: true,
      },
      relationship: {
        copy_variant: 'gentle',
        caps: { per_day: 1, per_week: 2 },
        dismiss_cooldown_days: 14,
        max_per_placement: 1,
        social_proof: false,
      },
    },
    rules: [],
    ...overrides,
  };
}

/** A rule through the schema (defaults applied); override any field. */
export function rule(fields: Partial<Record<keyof OfferRule, unknown>> & { id: string }): OfferRule {
  return offerRuleSchema.parse({
    kind: 'upsell',
    trigger: { type: 'usage_threshold', percent: 80 },
    offer: { type: 'smallest_plan_that_fits' },
    placements: ['dashboard'],
    priority: 50,
    copy: 'usage_approaching_limit',
    ...fields,
  });
}

export function account(overrides: Partial<OfferAccount> = {}): OfferAccount {
  return {
    id: 'acct_1',
    country: 'US',
    locale: 'en-US',
    industry: 'agency',
    companySize: '11-50',
    signedUpAt: daysAgo(60),
    ...overrides,
  };
}

export function subscription(overrides: Partial<OfferSubscription> = {}): OfferSubscription {
  return {
    planCode: 'pro',
    interval: 'month',
    currency: 'usd',
    currentPeriodStart: daysAgo(10),
    currentPeriodEnd: daysLater(20),
    cancelAtPeriodEnd: false,
    startedAt: daysAgo(40),
    planSince: daysAgo(40),
    addOns: [],
    ...overrides,
  };
}

/** Metered use as percentages of `limits` (feature → limit), projected at the same level. */
export function usage(
  levels: Record<string, { used: number; limit: number | null; projected?: number }> = {},
  extra: Partial<UsageFacts> = {},
): UsageFacts {
  const features: FeatureUsage[] = Object.entries(levels).map(([feature, u]) => ({
    feature,
    used: u.used,
    limit: u.limit,
    percent: u.limit === null ? null : Math.round((u.used * 1000) / u.limit) / 10,
    projectedTotal: u.projected ?? u.used,
    projectedLimitAt: null,
  }));
  return { period: { start: daysAgo(10), end: daysLater(20) }, features, enabled: [], crossings: [], ...extra };
}

export function event(
  ruleId: string,
  type: OfferHistoryEvent['type'],
  at: Date,
  promptId = `prm_${ruleId}`,
): OfferHistoryEvent {
  return { ruleId, promptId, type, at };
}

/** A complete evaluator input: a US owner on Pro at 10% of everything, no history. */
export function input(overrides: Partial<EvaluationInput> = {}): EvaluationInput {
  return {
    account: account(),
    subscription: subscription(),
    usage: usage({ projects: { used: 2, limit: 25 } }),
    purchases: [],
    history: [],
    rules: settings(),
    catalog,
    now: NOW,
    placement: 'dashboard',
    role: 'owner',
    coPurchases: {},
    ...overrides,
  };
}
