import { z } from 'zod';
import { guaranteesSchema } from '../catalog/guarantee-policy.schema';
import { errorResponse, type RouteSpec } from '../openapi/route-spec';
import { currencyCode, listOf, minorUnits, timestamp } from '../openapi/response-schemas';
import {
  claimRefundSchema,
  listRefundsQuery,
  manualRefundSchema,
  trainingParams,
  trainingStartSchema,
} from './guarantees.validators';

const REFUSAL_REASONS = [
  'not_covered',
  'renewal_not_covered',
  'window_closed',
  'already_refunded',
  'already_claimed',
  'cycling_limit',
  'training_started',
  'usage_above_limit',
  'nothing_to_refund',
  'later_purchases_first',
] as const;

/** refundClaimView (src/guarantees/refund-claim.view.ts). */
export const refundSchema = z
  .strictObject({
    object: z.literal('refund'),
    id: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    amount: minorUnits,
    currency: currencyCode,
    purchase_id: z.string(),
    product: z.string().meta({ description: 'e.g. `plan:premium`, `add_on:priority_support`.' }),
    kind: z.string(),
    source: z.enum(['customer', 'operator']),
    within_policy: z.boolean(),
    reason: z.string(),
    reversal: z.record(z.string(), z.unknown()).nullable().meta({
      description:
        'What was taken back in Stripe; `renewal_refunds` lists what renewals charged for the refunded items, refunded on their own charges.',
    }),
    stripe_refund: z.string().nullable(),
    confirmed: z.boolean().meta({ description: 'Stripe confirmed the refund (`charge.refunded`).' }),
    created_at: timestamp,
    completed_at: timestamp.nullable(),
  })
  .meta({ id: 'Refund' });

const eligibilityLine = z.strictObject({
  purchase_id: z.string(),
  product: z.string(),
  kind: z.string(),
  paid_at: timestamp,
  eligible: z.boolean(),
  amount: minorUnits.nullable().meta({
    description:
      "What a claim would refund now: the policy's amount, capped at what Stripe still holds for the purchase.",
  }),
  currency: currencyCode,
  deadline: timestamp.nullable(),
  reason: z.enum(REFUSAL_REASONS).nullable().meta({ description: 'Why not, when not eligible.' }),
});

const refused = errorResponse('Not refundable under the guarantee (the code names why; see `reason`).');
const tags = ['Guarantees'];

export const guaranteesRouteSpecs: RouteSpec[] = [
  {
    method: 'get',
    path: '/v1/refunds/eligibility',
    summary: "The caller's purchases still under a money-back guarantee, with amount and deadline",
    tags,
    security: 'user',
    responses: { 200: { description: 'One line per purchase.', schema: listOf(eligibilityLine) } },
  },
  {
    method: 'post',
    path: '/v1/refunds',
    summary: 'Claim a refund under the guarantee (owner or admin)',
    tags,
    security: 'user',
    idempotencyKey: 'required',
    callsStripe: true,
    body: claimRefundSchema,
    responses: {
      200: { description: 'The refund.', schema: refundSchema },
      403: errorResponse('Only an owner or admin may ask for refunds.'),
      404: errorResponse('No such purchase for this account.'),
      409: errorResponse('A claim for this purchase is in progress.'),
      422: refused,
    },
  },
  {
    method: 'put',
    path: '/v1/accounts/{account_id}/trainings/{code}',
    summary: "Set a training package's start date (its guarantee ends when it starts)",
    tags,
    security: 'server_or_admin',
    params: trainingParams,
    body: trainingStartSchema,
    responses: {
      200: {
        description: 'The start date and the purchases it applies to.',
        schema: z.strictObject({
          object: z.literal('training'),
          code: z.string(),
          starts_at: timestamp,
          purchases: z.array(z.string()),
        }),
      },
      404: errorResponse('No purchase of this training for this account.'),
    },
  },
  {
    method: 'get',
    path: '/admin/v1/guarantees/policies',
    summary: "The guarantee policies from the catalog's `guarantees` section",
    tags,
    security: 'admin',
    responses: {
      200: {
        description: 'The policies (null when the catalog has none).',
        schema: z.strictObject({ object: z.literal('guarantee_policies'), policies: guaranteesSchema.nullable() }),
      },
    },
  },
  {
    method: 'get',
    path: '/admin/v1/refunds',
    summary: 'Refunds, newest first',
    tags,
    security: 'admin',
    query: listRefundsQuery,
    responses: { 200: { description: 'The refunds.', schema: listOf(refundSchema) } },
  },
  {
    method: 'post',
    path: '/admin/v1/refunds',
    summary: 'Refund a purchase as an operator (optionally outside the policy)',
    tags,
    security: 'admin',
    idempotencyKey: 'optional',
    callsStripe: true,
    body: manualRefundSchema,
    responses: {
      200: { description: 'The refund.', schema: refundSchema },
      404: errorResponse('No such purchase.'),
      409: errorResponse('A claim for this purchase is in progress.'),
      422: refused,
    },
  },
];
