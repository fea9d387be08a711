import { z } from 'zod';
import { refundSchema } from '../guarantees/guarantees.openapi';
import { errorResponse, type RouteSpec } from '../openapi/route-spec';
import { currencyCode, timestamp } from '../openapi/response-schemas';
import { subscriptionSchema } from '../billing/billing.openapi';
import { COMPANY_SIZES } from './account.entity';
import { accountParamsSchema, adminAccountParamsSchema, upsertAccountSchema } from './accounts.validators';

/** accountView plus the sections billing and guarantees add (src/composition.ts). */
export const accountSchema = z
  .strictObject({
    id: z.string(),
    object: z.literal('account'),
    name: z.string(),
    email: z.string(),
    country: z.string().meta({ description: 'ISO 3166-1 alpha-2.' }),
    locale: z.string().meta({ description: 'Canonical BCP-47 tag.' }),
    industry: z.string().nullable(),
    company_size: z.enum(COMPANY_SIZES).nullable(),
    created_at: timestamp,
    stripe_customer_id: z.string().nullable(),
    // NOTE: the sections below are present when billing (and guarantees) run, i.e. a Stripe is configured.
    subscription: subscriptionSchema.nullable().optional(),
    add_ons: z.array(z.strictObject({ code: z.string(), quantity: z.number().int() })).optional(),
    currency: currencyCode.optional(),
    pending_change: z
      .record(z.string(), z.unknown())
      .nullable()
      .optional()
      .meta({ description: 'A scheduled downgrade still to come, else a pending update awaiting payment.' }),
    refunds: z.array(refundSchema).optional(),
    payment_method: z
      .strictObject({
        id: z.string(),
        brand: z.string(),
        last4: z.string(),
        exp_month: z.number().int(),
        exp_year: z.number().int(),
      })
      .nullable()
      .optional()
      .meta({ description: "The customer's default card (the billing page's card update sets it)." }),
    reverse_trial: z
      .strictObject({ plan: z.string(), ends_at: timestamp, days_left: z.number().int() })
      .nullable()
      .optional()
      .meta({
        description: 'A reverse trial still running (no card): its plan, end and days left (a started day counts).',
      }),
  })
  .meta({ id: 'Account' });

const tags = ['Accounts'];

export const accountsRouteSpecs: RouteSpec[] = [
  {
    method: 'put',
    path: '/v1/accounts/{account_id}',
    summary: 'Create or update an account and its Stripe customer',
    tags,
    security: 'server',
    params: accountParamsSchema,
    body: upsertAccountSchema,
    responses: {
      200: { description: 'The account was updated.', schema: accountSchema },
      201: { description: 'The account was created.', schema: accountSchema },
    },
  },
  {
    method: 'get',
    path: '/v1/account',
    summary: "The caller's account, subscription, add-ons and refunds",
    tags,
    security: 'user',
    responses: {
      200: { description: 'The account.', schema: accountSchema },
      404: errorResponse('The SaaS has not created this account yet.'),
    },
  },
  {
    method: 'get',
    path: '/admin/v1/accounts/{id}',
    summary: 'Any account, for operators',
    tags,
    security: 'admin',
    params: adminAccountParamsSchema,
    responses: {
      200: { description: 'The account.', schema: accountSchema },
      404: errorResponse('No such account.'),
    },
  },
];
