import { z } from 'zod';
import type { RouteSpec } from '../openapi/route-spec';
import { timestamp } from '../openapi/response-schemas';
import { clockQuerySchema, funnelQuerySchema, revenueQuerySchema } from './analytics.validators';

const funnelRow = z.strictObject({
  group: z.string().meta({
    description:
      'The offer, placement, country, period or `experiment/variant`; `(unattributed)` for conversions no click led to.',
  }),
  attributed: z.boolean(),
  impressions: z.number().int(),
  clicks: z.number().int(),
  quotes: z.number().int(),
  paid_changes: z.number().int(),
  refunds: z.number().int(),
  accounts_shown: z.number().int(),
  accounts_clicked: z.number().int(),
  accounts_converted: z.number().int(),
  click_rate: z.number().min(0).max(1).nullable().meta({ description: 'accounts_clicked ÷ accounts_shown (0–1).' }),
  conversion_rate: z
    .number()
    .min(0)
    .max(1)
    .nullable()
    .meta({ description: 'accounts_converted ÷ accounts_clicked (0–1).' }),
});

const revenueReportSchema = z.strictObject({
  object: z.literal('revenue_report'),
  period: z.strictObject({ from: timestamp, to: timestamp }),
  mrr: z.array(
    z.strictObject({
      currency: z.string(),
      mrr: z.number().int().meta({ description: 'Minor units.' }),
      paying_accounts: z.number().int(),
    }),
  ),
  movements: z.array(
    z.strictObject({
      currency: z.string(),
      new: z.number(),
      expansion: z.number(),
      contraction: z.number(),
      churn: z.number(),
      net: z.number(),
    }),
  ),
  collected: z
    .array(
      z.strictObject({
        currency: z.string(),
        purchases: z.number().int().meta({ description: 'Paid changes in the period, minor units.' }),
        renewals: z.number().int().meta({ description: 'Paid renewal invoices (`subscription_cycle`), minor units.' }),
        renewal_invoices: z.number().int(),
        refunded: z.number().int().meta({ description: 'Refunded so far of those payments.' }),
        net: z.number().int(),
      }),
    )
    .meta({ description: 'What Stripe collected for payments made in the period, per currency.' }),
  lifetime_value: z.array(
    z.strictObject({
      currency: z.string(),
      arpa: z.number().nullable(),
      churn_rate: z.number().nullable(),
      gross_margin: z.number(),
      cltv: z.number().nullable().meta({ description: 'ARPA × gross margin ÷ churn rate; null while nobody churned.' }),
    }),
  ),
  add_on_attach_rate: z.number().nullable(),
  guarantee_refund_rate: z.number().nullable(),
});

const tags = ['Analytics'];

export const analyticsRouteSpecs: RouteSpec[] = [
  {
    method: 'get',
    path: '/admin/v1/analytics/funnel',
    summary: 'The offer funnel (impression → click → quote → paid change → refund), last-click attribution',
    tags,
    security: 'admin',
    description: '`format=csv` (or `Accept: text/csv`) answers the rows as CSV. See docs/console.md for the ratios.',
    query: funnelQuerySchema,
    responses: {
      200: {
        description: 'One row per group.',
        schema: z.strictObject({
          object: z.literal('funnel'),
          group_by: funnelQuerySchema.shape.group_by.unwrap(),
          attribution_days: z.number().int(),
          data: z.array(funnelRow),
          declines: z
            .array(
              z.strictObject({
                offer: z.string(),
                offer_type: z.string(),
                offer_code: z.string(),
                locale: z.string(),
                reason: z.enum(['too_expensive', 'not_now', 'missing_feature', 'other']),
                declines: z.number().int(),
              }),
            )
            .meta({ description: 'Prompts declined with a reason in the period, per offer, locale and reason.' }),
          recoveries: z.strictObject({ raised: z.number().int(), converted: z.number().int() }).meta({
            description:
              'Abandoned Checkout recoveries raised in the period, and how many a plan purchase within 7 days converted.',
          }),
        }),
      },
    },
  },
  {
    method: 'get',
    path: '/admin/v1/analytics/revenue',
    summary: 'MRR and its movements, ARPA, churn, lifetime value, add-on attach and guarantee refund rates',
    tags,
    security: 'admin',
    description: '`format=csv` (or `Accept: text/csv`) answers one of its tables (`table`) as CSV.',
    query: revenueQuerySchema,
    responses: { 200: { description: 'The report, per currency.', schema: revenueReportSchema } },
  },
  {
    method: 'get',
    path: '/admin/v1/clock',
    summary: "The service's clock: the console's date ranges start from it, not from the browser's",
    tags,
    security: 'admin',
    query: clockQuerySchema,
    responses: {
      200: {
        description: 'Now, as the service (and Stripe test clocks in local mode) sees it.',
        schema: z.strictObject({ object: z.literal('clock'), now: timestamp }),
      },
    },
  },
];
