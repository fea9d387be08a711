import { z } from 'zod';

const code = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,47}$/, 'must be lowercase letters, digits and underscores, starting with a letter');
const countryCode = z.string().regex(/^[A-Z]{2}$/, 'must be an uppercase ISO 3166 country code such as DE');

/**
 * One money-back guarantee policy, for one kind of purchase. The window runs from the
 * moment the purchase was paid; a claim exactly at the deadline is still inside it.
 */
export const guaranteePolicySchema = z.strictObject({
  window_days: z.number().int('must be a whole number of days').min(1).max(365),
  /** A product (a plan or an add-on) is refunded at most once per account. */
  once_per_product: z.boolean().default(true),
  /** Renewal charges are not covered unless this says so; only first purchases and upgrades are. */
  covers_renewals: z.boolean().default(false),
  /** Upgrade → refund → upgrade cycling: at most this many covered claims per account in 365 days. */
  max_claims_per_year: z.number().int().min(1).max(100).optional(),
  /** full_charge: the whole charge of that purchase; unused_part: the share of its period not yet used. */
  refund: z.enum(['full_charge', 'unused_part']).default('full_charge'),
  conditions: z
    .strictObject({
      /** A training package must not have started (its purchase carries the start date). */
      not_started: z.boolean().default(false),
      /** Usage of the new limits must stay at or below this percentage of them (a whole number: YAML decimals stay text). */
      max_usage_percent: z.number().int('must be a whole percentage').min(0).max(100).optional(),
    })
    .default({ not_started: false }),
});

/** A regional rule as data, e.g. EU/EEA consumers: at least 14 days whatever the policy says. */
export const guaranteeRegionSchema = z.strictObject({
  code,
  /** `eea`: every EU/EEA country (src/shared/countries.ts); or an explicit list. */
  countries: z.union([z.literal('eea'), z.array(countryCode).min(1)]),
  minimum_window_days: z.number().int().min(1).max(365),
});

/** The catalog's `guarantees` section: a policy per kind of purchase, and regional rules. */
export const guaranteesSchema = z.strictObject({
  plan_upgrade: guaranteePolicySchema.optional(),
  recurring_add_on: guaranteePolicySchema.optional(),
  one_time: guaranteePolicySchema.optional(),
  regions: z.array(guaranteeRegionSchema).default([]),
});
