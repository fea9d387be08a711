import { z } from 'zod';
import { guaranteesSchema } from './guarantee-policy.schema';

/**
 * The shape of a catalog file. Semantic rules (references, tier order, price-list
 * coverage) live in catalog-semantics.rules.ts; this file only says what a well-formed
 * document looks like, so that a reader can learn the format from it.
 */
const code = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,47}$/, 'must be lowercase letters, digits and underscores, starting with a letter');
const currencyCode = z.string().regex(/^[a-z]{3}$/, 'must be a lowercase ISO 4217 code such as usd');
const countryCode = z.string().regex(/^[A-Z]{2}$/, 'must be an uppercase ISO 3166 country code such as DE');

/**
 * Currency → amount in minor units. The amounts themselves are checked per currency in
 * catalog-prices.rules.ts (JPY has no minor unit, KWD three), so that a bad amount is
 * reported together with every other problem of the file.
 */
export const priceMapSchema = z.record(currencyCode, z.unknown()).transform((map) => map as Record<string, number>);

export const intervalSchema = z.enum(['month', 'year']);

const intervalPricesSchema = z
  .strictObject({ month: priceMapSchema.optional(), year: priceMapSchema.optional() })
  .refine((p) => p.month !== undefined || p.year !== undefined, 'give a month or a year price (or both)');

const meteredFeatureSchema = z.strictObject({
  code,
  type: z.literal('metered'),
  /** counter: resets every period (API calls); gauge: a level that stays (seats, projects). */
  kind: z.enum(['counter', 'gauge']),
  /** Message key under units.* in the locale files. */
  unit: code,
  /** For counters: the period the limit applies to. */
  period: z.enum(['month']).optional(),
});

const booleanFeatureSchema = z.strictObject({ code, type: z.literal('boolean') });

export const featureSchema = z.discriminatedUnion('type', [meteredFeatureSchema, booleanFeatureSchema]);

/** A metered limit: a whole number, or the word unlimited. */
const limitSchema = z.union([
  z.number().int('must be a whole number').min(0, 'must not be negative'),
  z.literal('unlimited'),
]);

const planSchema = z.strictObject({
  code,
  /** Omitted for the free plan: it costs nothing and has no Stripe price. */
  prices: intervalPricesSchema.optional(),
  trial_days: z.number().int().min(0).max(730).default(0),
  /** Reverse trial: a new Free account gets this plan for these days, without a card (0: none). */
  reverse_trial_days: z.number().int().min(0).max(90).default(0),
  limits: z.record(code, limitSchema).default({}),
  /** Boolean features this plan includes. */
  includes: z.array(code).default([]),
  /** Benefit-line keys (plans.<code>.benefits.<key> in the locale files). */
  benefits: z.array(code).default([]),
  social_proof: z.array(code).default([]),
});

const addOnBase = {
  code,
  /** Metered capacity each unit adds to the plan's limit (e.g. seats: 1). */
  adds: z.record(code, z.number().int().min(1)).default({}),
  /** Boolean features the add-on switches on. */
  enables: z.array(code).default([]),
  /** Plans it can be bought with; all paid plans when omitted. */
  available_on: z.array(code).optional(),
  /** Sold per unit (quantity > 1 allowed), e.g. extra seats. */
  per_unit: z.boolean().default(false),
  benefits: z.array(code).default([]),
  social_proof: z.array(code).default([]),
};

const recurringAddOnSchema = z.strictObject({
  ...addOnBase,
  type: z.literal('recurring'),
  prices: intervalPricesSchema,
});

const oneTimeAddOnSchema = z.strictObject({
  ...addOnBase,
  type: z.literal('one_time'),
  price: priceMapSchema,
  /** Who the package is made for: an industry or a region (informational, used by offers). */
  audience: z.strictObject({ industry: code.optional(), region: code.optional() }).optional(),
});

export const addOnSchema = z.discriminatedUnion('type', [recurringAddOnSchema, oneTimeAddOnSchema]);

const bundleItemSchema = z.union([
  z.strictObject({ plan: code, quantity: z.literal(1).default(1) }),
  z.strictObject({ add_on: code, quantity: z.number().int().min(1).default(1) }),
]);

const bundleSchema = z.strictObject({
  code,
  /** The billing interval of the recurring items in the bundle. */
  interval: intervalSchema,
  items: z.array(bundleItemSchema).min(2, 'a bundle has at least two items'),
  /** A percentage off the named items; Stripe applies it as a coupon restricted to their products. */
  discount: z.strictObject({
    percent_off: z.number().min(1).max(100),
    applies_to: z.array(code).min(1),
    /** forever: every invoice of the discounted recurring items; once: the first invoice only. */
    duration: z.enum(['once', 'forever']).default('forever'),
  }),
  benefits: z.array(code).default([]),
  social_proof: z.array(code).default([]),
});

const priceListSchema = z.strictObject({
  code,
  currency: currencyCode,
  /** Countries on this list. The default list takes every other country. */
  countries: z.array(countryCode).default([]),
  /** full: list price; purchasing_power: adjusted for local purchasing power. */
  price_point: z.enum(['full', 'purchasing_power']).default('full'),
});

export const catalogSchema = z.strictObject({
  format: z.literal(1),
  /** The currency of each Stripe price; the others become its currency_options. */
  default_currency: currencyCode,
  default_price_list: code,
  features: z.array(featureSchema).min(1),
  plans: z.array(planSchema).min(1),
  add_ons: z.array(addOnSchema).default([]),
  bundles: z.array(bundleSchema).default([]),
  price_lists: z.array(priceListSchema).min(1),
  /**
   * Money-back guarantee policies per kind of purchase and regional minimums, checked in full by
   * guarantee-policy.schema.ts; kept as a plain record in the Catalog type so that readers outside
   * the guarantees module (the quote's announcement) depend on no more than the fields they read.
   */
  guarantees: guaranteesSchema.transform((section) => section as Record<string, unknown>).optional(),
});
