import { z } from 'zod';
import { errorResponse, type RouteSpec } from '../openapi/route-spec';
import { timestamp } from '../openapi/response-schemas';
import { emptyBodySchema } from '../shared/http/validate';
import {
  createEndpointBody,
  deliveryParams,
  endpointParams,
  listDeliveriesQuery,
  replayRangeBody,
  rotateSecretBody,
  updateEndpointBody,
} from './event-endpoints.validators';

/** endpointView (src/events/event-endpoint-view.ts). */
const endpointFields = {
  id: z.string(),
  url: z.string(),
  event_types: z.array(z.string()).meta({ description: 'Empty: every type.' }),
  description: z.string().nullable(),
  status: z.enum(['enabled', 'disabled']),
  disabled_reason: z.string().nullable(),
  created_at: timestamp,
  health: z.strictObject({
    delivered_24h: z.number().int(),
    failed_24h: z.number().int(),
    pending: z.number().int(),
    oldest_pending_at: timestamp.nullable(),
  }),
};
const endpoint = z.strictObject(endpointFields).meta({ id: 'EventEndpoint' });
const endpointWithSecret = z.strictObject({
  ...endpointFields,
  secret: z.string().meta({ description: 'The signing secret (`whsec_…`); shown only here.' }),
});
const delivery = z
  .strictObject({
    id: z.string(),
    event_id: z.string(),
    event_type: z.string(),
    account_id: z.string().nullable(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    last_response_code: z.number().int().nullable(),
    last_attempt_at: timestamp.nullable(),
    next_attempt_at: timestamp.nullable(),
  })
  .meta({ id: 'EventDelivery' });

const tags = ['Outbound events'];
const missing = errorResponse('No endpoint with this id.');
const refused = errorResponse(
  'An unknown event type (`unknown_event_type`), or a url refused (`endpoint_url_refused`): in production https only, never loopback, private, link-local or unique-local addresses.',
);
const base = '/admin/v1/event-endpoints';

export const eventsRouteSpecs: RouteSpec[] = [
  {
    method: 'post',
    path: base,
    summary: 'Create an endpoint that receives outbound events (Standard Webhooks)',
    tags,
    security: 'admin',
    body: createEndpointBody,
    responses: { 201: { description: 'The endpoint and its secret.', schema: endpointWithSecret }, 400: refused },
  },
  {
    method: 'get',
    path: base,
    summary: 'Every endpoint, with its delivery health',
    tags,
    security: 'admin',
    responses: { 200: { description: 'The endpoints.', schema: z.strictObject({ data: z.array(endpoint) }) } },
  },
  {
    method: 'get',
    path: `${base}/{id}`,
    summary: 'One endpoint',
    tags,
    security: 'admin',
    params: endpointParams,
    responses: { 200: { description: 'The endpoint.', schema: endpoint }, 404: missing },
  },
  {
    method: 'patch',
    path: `${base}/{id}`,
    summary: 'Change an endpoint (url, filter, description; enable or disable it)',
    tags,
    security: 'admin',
    params: endpointParams,
    body: updateEndpointBody,
    responses: { 200: { description: 'The endpoint.', schema: endpoint }, 400: refused, 404: missing },
  },
  {
    method: 'delete',
    path: `${base}/{id}`,
    summary: 'Delete an endpoint and its delivery log',
    tags,
    security: 'admin',
    params: endpointParams,
    responses: {
      200: { description: 'Deleted.', schema: z.strictObject({ id: z.string(), deleted: z.literal(true) }) },
      404: missing,
    },
  },
  {
    method: 'post',
    path: `${base}/{id}/rotate-secret`,
    summary: 'A new signing secret; the old one keeps signing beside it for the overlap',
    tags,
    security: 'admin',
    params: endpointParams,
    body: rotateSecretBody,
    responses: {
      200: { description: 'The new secret.', schema: z.strictObject({ secret: z.string() }) },
      404: missing,
    },
  },
  {
    method: 'get',
    path: `${base}/{id}/deliveries`,
    summary: "The endpoint's delivery log, newest event first",
    tags,
    security: 'admin',
    params: endpointParams,
    query: listDeliveriesQuery,
    responses: {
      200: { description: 'Deliveries.', schema: z.strictObject({ data: z.array(delivery) }) },
      404: missing,
    },
  },
  {
    method: 'post',
    path: `${base}/{id}/deliveries/{delivery_id}/replay`,
    summary: 'Send one delivery again, now',
    tags,
    security: 'admin',
    params: deliveryParams,
    body: emptyBodySchema,
    responses: {
      200: { description: 'The delivery, pending.', schema: delivery },
      404: errorResponse('No such delivery.'),
    },
  },
  {
    method: 'post',
    path: `${base}/{id}/replay`,
    summary: 'Send again every subscribed event that occurred in [from, to)',
    tags,
    security: 'admin',
    params: endpointParams,
    body: replayRangeBody,
    responses: {
      200: { description: 'How many deliveries were queued.', schema: z.strictObject({ queued: z.number().int() }) },
      404: missing,
    },
  },
];
