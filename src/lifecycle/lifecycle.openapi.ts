import { z } from 'zod';
import { subscriptionSchema } from '../billing/billing.openapi';
import { errorResponse, type RouteSpec } from '../openapi/route-spec';
import { currencyCode, minorUnits, timestamp } from '../openapi/response-schemas';
import { cancelPreviewQuerySchema, lifecyclePromptsQuerySchema } from './lifecycle.validators';

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

export const lifecycleRouteSpecs: RouteSpec[] = [
  {
    method: 'get',
    path: '/v1/lifecycle/prompts',
    summary: "The account's lifecycle prompts: an abandoned Checkout's recovery, at today's price",
    tags,
    security: 'user',
    query: lifecyclePromptsQuerySchema,
    responses: {
      200: {
        description: 'At most one recovery, while the account has no subscription and for 7 days.',
        schema: z.strictObject({ object: z.literal('list'), data: z.array(recoveryPromptSchema) }),
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
