import { z } from 'zod';
import { offerRuleSchema } from '../offers/offer-rule.schema';

const code = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be lowercase letters, digits and underscores');
const isoDate = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-11-27T00:00:00Z' });

/** What a variant may change of the rule under test: what is offered (and at which discount), where, when, in which words. */
const overridesSchema = offerRuleSchema
  .pick({ offer: true, placements: true, trigger: true, copy: true, priority: true, guarantee_days: true })
  .partial()
  .strict();

const variantSchema = z.strictObject({
  key: code,
  weight: z.number().positive().max(1000),
  overrides: overridesSchema.default({}),
});

export const GUARDRAIL_METRICS = ['refund_rate', 'dismiss_rate'] as const;

/** The body of POST /admin/v1/experiments and PUT /admin/v1/experiments/{key}. */
export const experimentSchema = z
  .strictObject({
    key: code,
    hypothesis: z.string().trim().min(1).max(2000),
    /** The offer rule under test. */
    rule_id: code,
    variants: z.array(variantSchema).min(2).max(10),
    /** Narrows the rule's own audience (which already names plans, regions and roles): only these countries take part. */
    audience: z
      .strictObject({
        countries: z.array(z.string().regex(/^[A-Z]{2}$/, 'must be an uppercase ISO 3166 country code')).optional(),
      })
      .default({}),
    primary_metric: z.strictObject({
      type: z.enum(['conversion', 'revenue_per_account']),
      /** A paid change within this many days of exposure counts. */
      window_days: z.number().int().min(1).max(365).default(14),
    }),
    guardrail_metrics: z.array(z.enum(GUARDRAIL_METRICS)).default(['refund_rate', 'dismiss_rate']),
    /** Share of accounts who see no offer from the rule at all. */
    holdout: z.number().min(0).max(0.5).default(0),
    /** Exposures each variant needs before a winner may be called. */
    planned_sample_size: z.number().int().min(1).max(10_000_000),
    starts_at: isoDate.optional(),
    stops_at: isoDate.optional(),
  })
  .superRefine((value, ctx) => {
    const keys = value.variants.map((v) => v.key);
    keys.forEach((key, i) => {
      if (key === 'holdout')
        ctx.addIssue({ code: 'custom', path: ['variants', i, 'key'], message: '"holdout" is reserved' });
      else if (keys.indexOf(key) !== i)
        ctx.addIssue({ code: 'custom', path: ['variants', i, 'key'], message: `duplicate variant "${key}"` });
    });
    if (value.starts_at && value.stops_at && value.stops_at <= value.starts_at)
      ctx.addIssue({ code: 'custom', path: ['stops_at'], message: 'must be after starts_at' });
  });

export type ExperimentDefinition = z.output<typeof experimentSchema>;

export const experimentKeyParamsSchema = z.strictObject({ key: code });

export const declareWinnerSchema = z.strictObject({ variant: code });
