import { z } from 'zod';
import { subscriptionSchema } from '../billing/billing.openapi';
import { errorResponse, type RouteSpec } from '../openapi/route-spec';
import { currencyCode, minorUnits, timestamp } from '../openapi/response-schemas';
import {
  cancelPreviewQuerySchema,
  lifecyclePromptsQuerySchema,
  lifecycleReportQuerySchema,
} from './lifecycle.validators';

const tags = ['Lifecycle'];

export const cancelPreviewSchema = z
  .strictObject({
    subscription: subscriptionSchema,
    cancel: z.strictObject({ at_period_end: z.literal(true), effective_at: timestamp }),
    alternatives: z.array(
      z.strictObject({
        kind: z.literal('smaller_plan'),
        plan: z.string(),
        interval: z.enum(['month', 'year']),
        price: z.strictObject({ amount: minorUnits, currency: currencyCode }),
        fits_usage: z.literal(true),
      }),
    ),
  })
  .meta({ id: 'CancelPreview' });

const recoveryPromptSchema = z
  .strictObject({
    id: z.string(),
    kind: z.literal('checkout_recovery'),
    plan: z.string(),
    interval: z.enum(['month', 'year']),
    price: z.strictObject({ amount: minorUnits, currency: currencyCode, formatted: z.string() }),
    raised_at: timestamp,
  })
  .meta({ id: 'RecoveryPrompt' });

const trialCounts = z.strictObject({
  started: z.number().int(),
  converted: z.number().int(),
  ended: z.number().int(),
  running: z.number().int(),
  conversion_rate: z
    .number()
    .nullable()
    .meta({ description: 'converted / (converted + ended); null when none decided.' }),
});

const lifecycleReportSchema = z
  .strictObject({
    object: z.literal('lifecycle_report'),
    from: timestamp,
    to: timestamp,
    trials: trialCounts.meta({ description: 'Trials started in the period.' }),
    reverse_trials: trialCounts,
    recoveries: z.strictObject({
      raised: z.number().int(),
      converted: z.number().int(),
      conversion_rate: z.number().nullable(),
    }),
    cancellations: z.strictObject({
      total: z.number().int(),
      reasons: z.array(
        z.strictObject({
          reason: z.string().meta({ description: '`none`: no reason given.' }),
          count: z.number().int(),
        }),
      ),
    }),
    cancel_previews: z
      .strictObject({ accounts: z.number().int(), saved: z.number().int(), save_rate: z.number().nullable() })
      .meta({
        description:
          'Accounts that saw a cancel preview in the period, and those that switched to its alternative instead of cancelling.',
      }),
  })
  .meta({ id: 'LifecycleReport' });

const trialEndingPromptSchema = z
  .strictObject({
    id: z.string(),
    kind: z.literal('trial_ending'),
    plan: z.string(),
    interval: z.enum(['month', 'year']),
    ends_at: timestamp,
    first_charge: z.strictObject({ amount: minorUnits, currency: currencyCode, formatted: z.string() }),
    cancel: z.strictObject({ method: z.literal('POST'), path: z.literal('/v1/subscription/cancel') }),
  })
  .meta({ id: 'TrialEndingPrompt' });

const limitValue = z.union([z.number().int(), z.literal('unlimited'), z.boolean()]);

const reverseTrialPromptSchema = z
  .strictObject({
    id: z.string(),
    kind: z.enum(['reverse_trial_ending', 'reverse_trial_ended']),
    plan: z.string(),
    ends_at: timestamp,
    falls_back_to: z.string(),
    changes: z.array(z.strictObject({ feature: z.string(), trial: limitValue, free: limitValue })),
    kept: z.literal('all_data'),
    message: z.string().meta({ description: "In the account's language: what changes and when, or that it ended." }),
  })
  .meta({ id: 'ReverseTrialPrompt' });

export const lifecycleRouteSpecs: RouteSpec[] = [
  {
    method: 'get',
    path: '/admin/v1/analytics/lifecycle',
    summary: 'Trial and reverse-trial conversion, Checkout recovery, cancel reasons and saves',
    tags,
    security: 'admin',
    query: lifecycleReportQuerySchema,
    responses: { 200: { description: 'The report for [from, to).', schema: lifecycleReportSchema } },
  },
  {
    method: 'get',
    path: '/v1/lifecycle/prompts',
    summary: "The account's lifecycle prompts: an abandoned Checkout's recovery, at today's price",
    tags,
    security: 'user',
    query: lifecyclePromptsQuerySchema,
    responses: {
      200: {
        description:
          'A trial ending within 3 days (its first charge, and the cancel request); a reverse trial in its last 3 days or ended within 7 (what changes, or what was kept); at most one Checkout recovery, while the account has no subscription and for 7 days.',
        schema: z.strictObject({
          object: z.literal('list'),
          data: z.array(z.union([trialEndingPromptSchema, recoveryPromptSchema, reverseTrialPromptSchema])),
        }),
      },
      404: errorResponse('Unknown account.'),
    },
  },
  {
    method: 'get',
    path: '/v1/subscription/cancel-preview',
    summary: 'What cancelling does, and the alternatives offered beside it',
    description:
      'The plan stays until `effective_at`; the smallest paid plan below the current one that holds current usage, at its catalog price in the subscription currency. Cancelling is then one `POST /v1/subscription/cancel`.',
    tags,
    security: 'user',
    query: cancelPreviewQuerySchema,
    responses: {
      200: { description: 'The preview.', schema: cancelPreviewSchema },
      404: errorResponse('No live subscription.'),
    },
  },
];
