import { z } from 'zod';

/**
 * The shape of the offer rules file (offers/offer-rules.yaml) and of one rule sent to
 * /admin/v1/offers. Cross-references (plans, add-ons, features, regions, tone profiles)
 * are checked against the catalog in offer-rule.rules.ts so every problem is reported at once.
 */
const code = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be lowercase letters, digits and underscores');
const country = z.string().regex(/^[A-Z]{2}$/, 'must be an uppercase ISO 3166 country code such as DE');
const days = z.number().int('must be a whole number of days').min(0).max(3650);
const isoDate = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-11-27T00:00:00Z' });

export const PLACEMENTS = ['dashboard', 'feature_gate', 'checkout', 'post_purchase', 'settings'] as const;
export const placementSchema = z.enum(PLACEMENTS);
export const roleSchema = z.enum(['owner', 'admin', 'member']);

export const capsSchema = z.strictObject({
  /** Distinct prompts an account may be shown in any 24 hours. */
  per_day: z.number().int().min(0).max(100),
  /** Distinct prompts an account may be shown in any 7 days. */
  per_week: z.number().int().min(0).max(500),
});

const triggerSchema = z.discriminatedUnion('type', [
  /** A metered feature (any, or the one named) used at or above `percent` of its limit, or a crossing recorded at it this period. */
  z.strictObject({
    type: z.literal('usage_threshold'),
    feature: code.optional(),
    percent: z.number().min(1).max(1000),
  }),
  /** The user hit a feature the plan lacks: `placement=feature_gate&feature=…`. */
  z.strictObject({ type: z.literal('feature_gate'), feature: code.optional() }),
  z.strictObject({ type: z.literal('days_after_signup'), days, within_days: days.default(7) }),
  /** Days after the current plan (or a held add-on) was bought: post-purchase cross-sell. */
  z.strictObject({
    type: z.literal('days_after_purchase'),
    purchase: z.strictObject({ plan: code.optional(), add_on: code.optional() }),
    days,
    within_days: days.default(14),
  }),
  z.strictObject({ type: z.literal('days_before_renewal'), days }),
  /** A monthly subscriber for at least `after_months` months: offer the annual price of the same plan. */
  z.strictObject({ type: z.literal('monthly_to_annual'), after_months: z.number().int().min(1).max(120) }),
  /** A real window with real dates; its end is shown to the customer. */
  z.strictObject({ type: z.literal('seasonal'), starts_at: isoDate, ends_at: isoDate }),
]);

const offerSchema = z.discriminatedUnion('type', [
  /** The smallest plan above the current one that includes the trigger's feature and holds current use. */
  z.strictObject({ type: z.literal('smallest_plan_that_fits'), interval: z.enum(['month', 'year']).optional() }),
  z.strictObject({ type: z.literal('plan'), plan: code, interval: z.enum(['month', 'year']).optional() }),
  z.strictObject({ type: z.literal('add_on'), add_on: code, quantity: z.number().int().min(1).max(1000).default(1) }),
  z.strictObject({ type: z.literal('bundle'), bundle: code }),
  /** The add-on bought most often by accounts of the same segment holding what this account holds. */
  z.strictObject({ type: z.literal('recommended_add_on') }),
  /** The current plan, billed yearly. */
  z.strictObject({ type: z.literal('annual_switch') }),
]);

const audienceSchema = z
  .strictObject({
    plans: z.array(code).optional(),
    countries: z.array(country).optional(),
    regions: z.array(code).optional(),
    industries: z.array(code).optional(),
    company_sizes: z.array(z.enum(['1-10', '11-50', '51-200', '201-1000', '1001+'])).optional(),
    roles: z.array(roleSchema).optional(),
  })
  .default({});

export const offerRuleSchema = z.strictObject({
  id: code,
  enabled: z.boolean().default(true),
  kind: z.enum(['upsell', 'cross_sell', 'bundle']),
  trigger: triggerSchema,
  audience: audienceSchema,
  offer: offerSchema,
  placements: z.array(placementSchema).min(1),
  /** Higher first; ties broken by expected value. */
  priority: z.number().int().min(0).max(1000),
  /** Estimated chance a shown prompt converts (0..1): expected value = monthly price gain × this. */
  conversion_rate: z.number().min(0).max(1).default(0.02),
  /** Message keys under offers.<copy>.* in offers/copy/<locale>.yaml. */
  copy: code,
  /** Money-back guarantee days when the catalog has no guarantee policy for the offer. */
  guarantee_days: z.number().int().min(1).max(365).optional(),
  dismiss_cooldown_days: days.optional(),
  /** How many times this rule may be shown to an account in all (e.g. once for a one-off training). */
  max_impressions: z.number().int().min(1).optional(),
});

export const toneProfileSchema = z.strictObject({
  /** Which copy variant: `direct` or `gentle` (softer, relationship-first wording). */
  copy_variant: z.enum(['direct', 'gentle']),
  caps: capsSchema,
  dismiss_cooldown_days: days,
  max_per_placement: z.number().int().min(0).max(5),
  /** Show a social-proof line (some markets find it pushy). */
  social_proof: z.boolean().default(true),
});

export const offerRulesFileSchema = z.strictObject({
  format: z.literal(1),
  defaults: z.strictObject({
    snooze_days: days.default(3),
    /** Accepted for stored rule sets, no longer read: targets follow catalog/smallest-upgrade.ts (current use). */
    headroom_percent: z.number().min(0).max(500).default(20),
    comparison_url: z.string().min(1).default('/pricing'),
    /** Feature → the catalog benefit keys that speak to it, so a prompt about seats leads with the seats benefit. */
    feature_benefits: z.record(code, z.array(code)).default({}),
  }),
  regions: z.record(code, z.array(country).min(1)).default({}),
  tone_profiles: z.record(code, toneProfileSchema),
  markets: z.strictObject({
    default: code,
    by_region: z.record(code, code).default({}),
    by_country: z.record(country, code).default({}),
  }),
  rules: z.array(offerRuleSchema),
});

export type OfferRulesFileInput = z.input<typeof offerRulesFileSchema>;
