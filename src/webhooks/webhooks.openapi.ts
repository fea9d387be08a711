import { z } from 'zod';
import { errorResponse, type RouteSpec } from '../openapi/route-spec';
import { listOf, timestamp } from '../openapi/response-schemas';
import { emptyBodySchema } from '../shared/http/validate';
import {
  listReconciliationsQuery,
  listWebhookEventsQuery,
  replayRangeSchema,
  webhookEventParams,
} from './webhook-admin.validators';
import { WEBHOOK_EVENT_STATUSES } from './webhook-event';

/** webhookEventView (src/webhooks/webhook-event.ts); `payload` only when one event is read. */
const webhookEventSchema = z.strictObject({
  id: z.string(),
  type: z.string(),
  api_version: z.string().nullable(),
  livemode: z.boolean(),
  created: timestamp,
  object_id: z.string().nullable(),
  status: z.enum(WEBHOOK_EVENT_STATUSES),
  attempts: z.number().int(),
  last_error: z.string().nullable(),
  outcome: z.string().nullable(),
  received_at: timestamp,
  processed_at: timestamp.nullable(),
});
const webhookEventSummary = webhookEventSchema.meta({ id: 'WebhookEvent' });

const reconciliationBody = {
  checked: z.number().int(),
  changed: z.number().int(),
  changes: z.array(
    z.strictObject({ subscription_id: z.string(), account_id: z.string(), fields: z.array(z.string()) }),
  ),
  unknown_customers: z.array(z.strictObject({ subscription_id: z.string(), customer_id: z.string().nullable() })),
  errors: z.array(z.strictObject({ id: z.string(), message: z.string() })),
};
const runHead = {
  id: z.string(),
  trigger: z.enum(['manual', 'schedule']),
  started_at: timestamp,
  finished_at: timestamp,
};
const reconciliationReport = z.strictObject({ ...runHead, ...reconciliationBody });
const reconciliationRun = z.strictObject({
  ...runHead,
  checked: z.number().int(),
  changed: z.number().int(),
  report: z.strictObject(reconciliationBody),
});

const eventNotFound = errorResponse('No stored event with this id.');
const tags = ['Webhooks'];

export const webhooksRouteSpecs: RouteSpec[] = [
  {
    method: 'post',
    path: '/webhooks/stripe',
    summary: 'Stripe events (stored once, processed in the background)',
    description:
      'The raw body Stripe signed; verified with the endpoint secret (300 s tolerance). A repeat delivery stores nothing.',
    tags,
    security: 'stripe_signature',
    body: z
      .looseObject({ id: z.string(), object: z.literal('event'), type: z.string() })
      .meta({ description: 'A Stripe event, exactly as Stripe sent it.' }),
    responses: {
      200: {
        description: 'Stored (or already stored: `duplicate: true`).',
        schema: z.strictObject({ received: z.literal(true), id: z.string(), duplicate: z.boolean() }),
      },
    },
  },
  {
    method: 'get',
    path: '/admin/v1/webhook-events',
    summary: 'The webhook inbox, newest first',
    tags,
    security: 'admin',
    query: listWebhookEventsQuery,
    responses: {
      200: { description: 'A page of events.', schema: listOf(webhookEventSummary, { has_more: z.boolean() }) },
    },
  },
  {
    method: 'get',
    path: '/admin/v1/webhook-events/{id}',
    summary: 'One stored event, with its payload',
    tags,
    security: 'admin',
    params: webhookEventParams,
    responses: {
      200: {
        description: 'The event.',
        schema: webhookEventSchema.extend({
          payload: z.record(z.string(), z.unknown()).meta({ description: 'The Stripe event as received.' }),
        }),
      },
      404: eventNotFound,
    },
  },
  {
    method: 'post',
    path: '/admin/v1/webhook-events/{id}/replay',
    summary: 'Process a stored event again (a dead one included)',
    tags,
    security: 'admin',
    params: webhookEventParams,
    body: emptyBodySchema,
    responses: { 200: { description: 'The event, queued again.', schema: webhookEventSummary }, 404: eventNotFound },
  },
  {
    method: 'post',
    path: '/admin/v1/webhook-events/replay',
    summary: 'Process again every stored event received in [from, to), oldest first',
    description:
      'At most 500 events (a longer range is a 422 `range_too_large`); events a worker holds are listed in `busy`.',
    tags,
    security: 'admin',
    body: replayRangeSchema,
    responses: {
      200: {
        description: 'The events replayed.',
        schema: z.strictObject({
          object: z.literal('webhook_replay'),
          from: z.string(),
          to: z.string(),
          replayed: z.array(z.string()),
          busy: z.array(z.string()),
        }),
      },
    },
  },
  {
    method: 'post',
    path: '/admin/v1/reconciliations',
    summary: 'Compare every subscription with Stripe now and repair the mirror',
    tags,
    security: 'admin',
    body: emptyBodySchema,
    responses: { 201: { description: 'The run and what it repaired.', schema: reconciliationReport } },
  },
  {
    method: 'get',
    path: '/admin/v1/reconciliations',
    summary: 'Recent reconciliation runs, newest first',
    tags,
    security: 'admin',
    query: listReconciliationsQuery,
    responses: {
      200: { description: 'A page of runs.', schema: listOf(reconciliationRun, { has_more: z.boolean() }) },
    },
  },
];
