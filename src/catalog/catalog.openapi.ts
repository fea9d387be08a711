import { z } from 'zod';
import { guaranteeConditionsSchema } from '../guarantees/promised-guarantee.schema';
import { errorResponse, type RouteSpec } from '../openapi/route-spec';
import { currencyCode, listOf, minorUnits, timestamp } from '../openapi/response-schemas';
import {
  plansQuerySchema,
  publicPlansQuerySchema,
  syncBodySchema,
  validateBodySchema,
  versionsQuerySchema,
} from './catalog.validators';

const money = z.strictObject({ amount: minorUnits, currency: currencyCode, formatted: z.string() });
const moneyInWords = money.extend({ words: z.string() });
const limit = z.union([z.number(), z.literal('unlimited')]);
const guarantee = z
  .strictObject({
    days: z.number().int(),
    conditions: guaranteeConditionsSchema,
    words: z.string(),
    terms: z.array(z.string()).meta({ description: 'The conditions in plain words, the window first.' }),
  })
  .nullable()
  .meta({ description: 'The guarantee a quote would announce to this account; null where none would be granted.' });

const planColumn = z.strictObject({
  code: z.string(),
  name: z.string(),
  tagline: z.string(),
  tier: z.number().int(),
  current: z.boolean(),
  recommended: z.boolean(),
  trial_days: z.number().int(),
  price: moneyInWords.extend({ interval: z.enum(['month', 'year']) }),
  annual_saving: moneyInWords.nullable().meta({ description: '12 × monthly − annual; null for the free plan.' }),
  monthly_equivalent: moneyInWords.nullable().meta({ description: 'On annual prices: what it comes to per month.' }),
  features: z.array(
    z.union([
      z.strictObject({ code: z.string(), name: z.string(), type: z.literal('metered'), limit, words: z.string() }),
      z.strictObject({
        code: z.string(),
        name: z.string(),
        type: z.literal('boolean'),
        included: z.boolean(),
        words: z.string(),
      }),
    ]),
  ),
  benefits: z.array(z.string()),
  social_proof: z.array(z.string()),
  guarantee,
});

const addOnColumn = z.strictObject({
  code: z.string(),
  type: z.enum(['recurring', 'one_time']),
  name: z.string(),
  description: z.string(),
  per_unit: z.boolean(),
  price: moneyInWords.extend({ interval: z.enum(['month', 'year', 'one_time']) }),
  adds: z.record(z.string(), z.number()).meta({ description: 'Metered capacity per unit, e.g. `{ "seats": 1 }`.' }),
  enables: z.array(z.string()),
  available_on: z.array(z.string()),
  benefits: z.array(z.string()),
  social_proof: z.array(z.string()),
  guarantee,
});

const bundleColumn = z.strictObject({
  code: z.string(),
  name: z.string(),
  description: z.string(),
  interval: z.enum(['month', 'year']),
  items: z.array(
    z.strictObject({
      type: z.enum(['plan', 'add_on']),
      code: z.string(),
      name: z.string(),
      quantity: z.number().int(),
      price: money,
      discount: money,
    }),
  ),
  regular_price: money,
  price: money.meta({ description: 'The first invoice.' }),
  renewal_price: moneyInWords,
  saving: moneyInWords.extend({ percent_off: z.number() }),
  benefits: z.array(z.string()),
  social_proof: z.array(z.string()),
  guarantee,
});

export const comparisonTableSchema = z
  .strictObject({
    object: z.literal('comparison_table'),
    locale: z.string(),
    currency: currencyCode,
    interval: z.enum(['month', 'year']),
    country: z.string(),
    price_list: z.strictObject({ code: z.string(), price_point: z.enum(['full', 'purchasing_power']) }),
    features: z.array(z.strictObject({ code: z.string(), name: z.string(), type: z.enum(['metered', 'boolean']) })),
    plans: z.array(planColumn),
    add_ons: z.array(addOnColumn),
    bundles: z.array(bundleColumn),
  })
  .meta({ id: 'ComparisonTable' });

const problemSchema = z.strictObject({ path: z.string(), message: z.string() });

/** One planned Stripe write (create/update/archive a product or price, create/delete a coupon). */
const syncOperation = z
  .looseObject({
    op: z.enum([
      'create_product',
      'update_product',
      'archive_product',
      'create_price',
      'update_price',
      'archive_price',
      'create_coupon',
      'delete_coupon',
    ]),
  })
  .meta({ description: 'The operation and its Stripe-shaped parameters (src/catalog/sync/stripe-catalog.types.ts).' });

const versionSchema = z.strictObject({
  object: z.literal('catalog_version'),
  version: z.string(),
  created_at: timestamp,
  created_by: z.string(),
  is_live: z.boolean(),
  synced_at: timestamp.nullable(),
  synced_by: z.string().nullable(),
  sync_summary: z.record(z.string(), z.unknown()).nullable(),
});

const tags = ['Catalog'];

export const catalogRouteSpecs: RouteSpec[] = [
  {
    method: 'get',
    path: '/v1/plans',
    summary: 'The comparison table: plans, add-ons and bundles in the account’s currency and words',
    tags,
    security: 'user',
    query: plansQuerySchema,
    responses: {
      200: { description: 'The comparison table.', schema: comparisonTableSchema },
      404: errorResponse('The SaaS has not created this account yet.'),
    },
  },
  {
    method: 'get',
    path: '/v1/public/plans',
    summary: 'The public catalog for a pricing page: no login, the country’s or currency’s prices',
    tags,
    security: 'none',
    query: publicPlansQuerySchema,
    responses: {
      200: {
        description: 'The comparison table a new visitor sees: nothing current, the first paid tier recommended.',
        schema: comparisonTableSchema.extend({ country: z.string().nullable() }).meta({ id: 'PublicComparisonTable' }),
      },
      422: errorResponse('A bad query, or a currency the catalog does not publish (`currency_not_offered`).'),
    },
  },
  {
    method: 'get',
    path: '/admin/v1/catalog',
    summary: 'The catalog the service runs with',
    tags,
    security: 'admin',
    responses: {
      200: {
        description: 'The running catalog and the version live in Stripe.',
        schema: z.strictObject({
          object: z.literal('catalog'),
          version: z.string(),
          live_version: z.string().nullable(),
          locales: z.array(z.string()),
          catalog: z
            .record(z.string(), z.unknown())
            .meta({ description: 'The catalog file as validated (see catalog/README.md for its format).' }),
        }),
      },
    },
  },
  {
    method: 'get',
    path: '/admin/v1/catalog/versions',
    summary: 'Catalog versions synced, newest first',
    tags,
    security: 'admin',
    query: versionsQuerySchema,
    responses: { 200: { description: 'The versions.', schema: listOf(versionSchema) } },
  },
  {
    method: 'get',
    path: '/admin/v1/catalog/diff',
    summary: 'What a sync would write to Stripe',
    tags,
    security: 'admin',
    callsStripe: true,
    responses: {
      200: {
        description: 'The planned writes.',
        schema: z.strictObject({
          object: z.literal('catalog_diff'),
          version: z.string(),
          in_sync: z.boolean(),
          operations: z.array(syncOperation),
          lines: z.array(z.string()),
        }),
      },
      503: errorResponse('No Stripe is configured, or Stripe is busy or unreachable (`stripe_unavailable`).'),
    },
  },
  {
    method: 'post',
    path: '/admin/v1/catalog/validate',
    summary: 'Check a catalog file without syncing it',
    tags,
    security: 'admin',
    body: validateBodySchema,
    responses: {
      200: {
        description: 'Every problem found, with its path.',
        schema: z.strictObject({
          object: z.literal('catalog_validation'),
          valid: z.boolean(),
          problems: z.array(problemSchema),
        }),
      },
    },
  },
  {
    method: 'post',
    path: '/admin/v1/catalog/sync',
    summary: 'Mirror the running catalog into Stripe (or preview with dry_run)',
    tags,
    security: 'admin',
    callsStripe: true,
    body: syncBodySchema,
    responses: {
      200: {
        description: 'What was (or would be) written.',
        schema: z.strictObject({
          object: z.literal('catalog_sync'),
          version: z.string(),
          dryRun: z.boolean(),
          operations: z.array(syncOperation),
          lines: z.array(z.string()),
          written: z.number().int(),
        }),
      },
      503: errorResponse('No Stripe is configured, or Stripe is busy or unreachable (`stripe_unavailable`).'),
    },
  },
];
