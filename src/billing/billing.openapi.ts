import { z } from 'zod';
import { guaranteeConditionsSchema } from '../guarantees/promised-guarantee.schema';
import { errorResponse, type RouteSpec } from '../openapi/route-spec';
import { currencyCode, minorUnits, timestamp } from '../openapi/response-schemas';
import {
  cancelSubscriptionSchema,
  changeParamsSchema,
  changeRequestSchema,
  emptyBodySchema,
  quoteRequestSchema,
} from './billing.validators';

/** subscriptionView (src/billing/subscription-view.ts): the mirror of Stripe's subscription. */
export const subscriptionSchema = z
  .strictObject({
    id: z.string(),
    plan: z.string(),
    interval: z.enum(['month', 'year']),
    status: z.string().meta({ description: "Stripe's subscription status (active, trialing, past_due, canceled …)." }),
    currency: currencyCode,
    current_period_start: timestamp,
    current_period_end: timestamp,
    cancel_at_period_end: z.boolean(),
    add_ons: z.array(z.strictObject({ code: z.string(), quantity: z.number().int() })),
    pending_update: z
      .record(z.string(), z.unknown())
      .nullable()
      .meta({ description: "Stripe's pending update (a change waiting for payment), in catalog codes." }),
    scheduled_change: z.record(z.string(), z.unknown()).nullable().meta({
      description: 'A downgrade scheduled for the period end: operation_id, schedule, plan, interval, effective_at.',
    }),
    trial_end: timestamp
      .nullable()
      .meta({ description: 'When the free trial ends (the first charge), if it had one.' }),
    trial_days_left: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'While `trialing`: whole days left of the free trial (a started day counts).' }),
  })
  .meta({ id: 'Subscription' });

export const quoteSchema = z
  .strictObject({
    id: z.string(),
    object: z.literal('quote'),
    expires_at: timestamp,
    currency: currencyCode,
    amount_due_now: minorUnits,
    amount_due_now_formatted: z.string(),
    lines: z.array(
      z.strictObject({
        description: z.string(),
        amount: minorUnits,
        formatted: z.string(),
        discount: minorUnits.meta({
          description: "What discounts (a bundle's coupon) take off this line; `amount` is before them.",
        }),
        proration: z.boolean(),
        period: z.strictObject({ start: timestamp, end: timestamp }),
      }),
    ),
    next_invoice: z.strictObject({ amount: minorUnits, formatted: z.string(), date: timestamp }).nullable(),
    proration_date: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'Unix seconds; sent again when the change is made.' }),
    change: z.strictObject({
      kind: z.enum(['upgrade', 'interval_change', 'add_ons', 'downgrade', 'checkout', 'one_time', 'cancel', 'bundle']),
      effective: z.enum(['now', 'after_checkout', 'period_end']),
      plan: z.string().nullable(),
      interval: z.enum(['month', 'year']).nullable(),
    }),
    checkout_required: z.boolean(),
    trial: z.strictObject({ days: z.number().int(), ends_at: timestamp }).nullable().meta({
      description:
        "Free → paid with the plan's free trial: nothing is charged now; `next_invoice` is the first charge, on `ends_at` (counted from payment at Checkout).",
    }),
    bundle: z
      .strictObject({
        code: z.string(),
        percent_off: z.number(),
        duration: z.enum(['once', 'forever']),
        applies_to: z.array(z.string()).meta({ description: 'The bundle items the discount is on.' }),
        discount: minorUnits.meta({ description: "What the bundle's coupon takes off this invoice." }),
        discount_formatted: z.string(),
      })
      .nullable()
      .meta({ description: 'A bundle: its discount terms; null for other changes.' }),
    guarantee: z.strictObject({
      eligible: z.boolean(),
      days: z.number().int().nullable(),
      conditions: guaranteeConditionsSchema.nullable(),
      reason: z
        .string()
        .nullable()
        .meta({ description: 'Why no guarantee is promised (a refusal reason of the guarantee rules); else null.' }),
      terms: z.array(z.string()).meta({ description: "The conditions in plain words, in the account's locale." }),
    }),
  })
  .meta({ id: 'Quote' });

/** What POST /v1/changes and the other change routes answer (src/billing/change-outcome.ts). */
export const changeSchema = z
  .strictObject({
    object: z.literal('change'),
    operation_id: z.string(),
    status: z.enum([
      'applied',
      'requires_action',
      'requires_payment_method',
      'scheduled',
      'checkout_required',
      'canceled',
      'cancel_scheduled',
      'resumed',
      'expired',
      'failed',
      'in_progress',
      'not_applied',
      'superseded',
      'stale',
      'not_sent',
    ]),
    subscription: subscriptionSchema.nullable(),
    client_secret: z.string().optional().meta({ description: 'requires_action: confirm the PaymentIntent with it.' }),
    checkout_url: z.string().optional().meta({ description: 'checkout_required: send the customer here.' }),
    amount_charged: minorUnits.optional(),
    amount_due: minorUnits.optional(),
    currency: currencyCode.optional(),
    invoice: z.string().optional(),
    effective_at: timestamp.optional(),
    schedule: z.string().optional(),
    state: z
      .enum(['claimed', 'sent', 'awaiting_customer', 'completed', 'failed'])
      .optional()
      .meta({ description: 'GET /v1/changes/{id}: where the operation stands.' }),
    error: z.strictObject({ code: z.string(), message: z.string() }).optional(),
  })
  .meta({ id: 'Change' });

const managerOnly = 'Only an owner or admin may change billing (`billing_permission_required`).';
const tags = ['Billing'];

export const billingRouteSpecs: RouteSpec[] = [
  {
    method: 'post',
    path: '/v1/quotes',
    summary: "Price a change from Stripe's own invoice preview (members may ask too)",
    tags,
    security: 'user',
    callsStripe: true,
    body: quoteRequestSchema,
    responses: {
      201: { description: 'The quote, valid for 30 minutes.', schema: quoteSchema },
      404: errorResponse('The SaaS has not created this account yet.'),
      409: errorResponse('The change is not possible now (another in progress, nothing to change …).'),
    },
  },
  {
    method: 'post',
    path: '/v1/changes',
    summary: 'Make the quoted change: pay first, then switch (or schedule a downgrade, or open Checkout)',
    tags,
    security: 'user',
    callsStripe: true,
    idempotencyKey: 'required',
    body: changeRequestSchema,
    responses: {
      200: { description: 'What happened.', schema: changeSchema },
      402: errorResponse('The payment failed.'),
      403: errorResponse(managerOnly),
      404: errorResponse('No such quote for this account.'),
      409: errorResponse('The quote expired, is stale, was used, or a change is in progress.'),
    },
  },
  {
    method: 'get',
    path: '/v1/changes/{id}',
    summary: 'A change as it stands (one waiting on the customer is refreshed from Stripe)',
    tags,
    security: 'user',
    callsStripe: true,
    params: changeParamsSchema,
    responses: {
      200: { description: 'The change.', schema: changeSchema },
      404: errorResponse('No such change for this account.'),
    },
  },
  {
    method: 'post',
    path: '/v1/changes/{id}/cancel',
    summary: 'Cancel a scheduled downgrade before it takes effect',
    tags,
    security: 'user',
    callsStripe: true,
    idempotencyKey: 'optional',
    params: changeParamsSchema,
    body: emptyBodySchema.optional(),
    responses: {
      200: { description: 'Cancelled: the current plan stays.', schema: changeSchema },
      403: errorResponse(managerOnly),
      404: errorResponse('No such change for this account.'),
      409: errorResponse('Not a scheduled downgrade, or it has taken effect (`change_not_cancellable`).'),
    },
  },
  {
    method: 'post',
    path: '/v1/subscription/cancel',
    summary: 'End the subscription at the period end',
    tags,
    security: 'user',
    callsStripe: true,
    idempotencyKey: 'required',
    body: cancelSubscriptionSchema.optional(),
    responses: {
      200: { description: 'Cancellation scheduled.', schema: changeSchema },
      403: errorResponse(managerOnly),
      404: errorResponse('No subscription to cancel.'),
    },
  },
  {
    method: 'post',
    path: '/v1/subscription/resume',
    summary: 'Take back a cancellation at the period end',
    tags,
    security: 'user',
    callsStripe: true,
    idempotencyKey: 'required',
    body: emptyBodySchema.optional(),
    responses: {
      200: { description: 'Resumed.', schema: changeSchema },
      403: errorResponse(managerOnly),
      404: errorResponse('No subscription to resume.'),
    },
  },
];
