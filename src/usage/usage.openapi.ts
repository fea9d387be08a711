import { z } from 'zod';
import { adminAccountParamsSchema } from '../accounts/accounts.validators';
import { errorResponse, type RouteSpec } from '../openapi/route-spec';
import { timestamp } from '../openapi/response-schemas';
import {
  entitlementParamsSchema,
  entitlementQuerySchema,
  MAX_EVENTS_PER_REQUEST,
  snapshotQuerySchema,
  streamQuerySchema,
  usageBatchSchema,
  usageEventSchema,
} from './usage.validators';

const meteredEntitlement = z.strictObject({
  feature: z.string(),
  type: z.literal('metered'),
  kind: z.enum(['counter', 'gauge']),
  limit: z.number().int().nullable().meta({ description: 'null: unlimited.' }),
  used: z.number(),
  remaining: z.number().nullable(),
  percent: z.number().nullable(),
  period_start: timestamp.nullable().meta({
    description:
      "The feature's own period: a counter with `period: month` resets monthly from the subscription's billing cycle anchor, on yearly plans too; gauges and counters without a period follow the billing period.",
  }),
  period_end: timestamp.nullable().meta({ description: 'When this feature next starts again (exclusive).' }),
});
const booleanEntitlement = z.strictObject({ feature: z.string(), type: z.literal('boolean'), enabled: z.boolean() });
export const entitlementSchema = z
  .discriminatedUnion('type', [meteredEntitlement, booleanEntitlement])
  .meta({ id: 'Entitlement' });

const checkExtras = {
  object: z.literal('entitlement'),
  quantity: z.number().int(),
  allowed: z.boolean(),
  upgrade: z
    .strictObject({
      plan: z.string().nullable(),
      add_on: z.strictObject({ code: z.string(), quantity: z.number().int() }).nullable(),
    })
    .nullable()
    .meta({ description: 'When not allowed: the smallest plan and/or add-on that would allow it.' }),
};
export const entitlementCheckSchema = z.union([
  meteredEntitlement.extend(checkExtras),
  booleanEntitlement.extend(checkExtras),
]);

const ingestionSchema = z.strictObject({
  object: z.literal('usage_ingestion'),
  accepted: z.number().int().meta({ description: 'Events stored by this request.' }),
  duplicates: z.number().int().meta({ description: 'Valid events whose id was already stored.' }),
  rejected: z.array(
    z.strictObject({
      index: z.number().int(),
      error: z.strictObject({
        type: z.literal('invalid_request_error'),
        code: z.string(),
        message: z.string(),
        param: z.string(),
      }),
    }),
  ),
});

const usageReportSchema = z.strictObject({
  object: z.literal('usage_report'),
  account_id: z.string(),
  plan: z.string(),
  period_start: timestamp.nullable(),
  period_end: timestamp.nullable(),
  as_of: timestamp.nullable(),
  entitlements: z.array(entitlementSchema),
  projections: z.array(
    z.strictObject({
      feature: z.string(),
      used: z.number(),
      limit: z.number(),
      elapsed: z.number().meta({ description: 'Share of the period gone (0..1).' }),
      projected_total: z.number(),
      projected_limit_at: timestamp.nullable(),
    }),
  ),
  crossings: z.array(
    z.strictObject({
      feature: z.string(),
      threshold: z.number(),
      used: z.number(),
      limit: z.number(),
      projected_total: z.number(),
      projected_limit_at: timestamp.nullable(),
      period_start: timestamp.nullable(),
      period_end: timestamp.nullable(),
      crossed_at: timestamp.nullable(),
    }),
  ),
});

const signedSnapshotSchema = z.strictObject({
  object: z.literal('signed_entitlement_snapshot'),
  snapshot: z.strictObject({
    object: z.literal('entitlement_snapshot'),
    account_id: z.string(),
    plan: z.string(),
    issued_at: timestamp,
    valid_until: timestamp.meta({
      description: 'When a period it counts in ends or a reverse trial stops granting: void from then.',
    }),
    entitlements: z.array(entitlementSchema),
  }),
  signature: z.string().meta({
    description:
      'base64url HMAC-SHA256, keyed with the server API key, of "tierlift.entitlement_snapshot.v1\\n" followed by the canonical JSON of `snapshot` (keys sorted at every depth, no white space). See docs/entitlements-client.md.',
  }),
});

const tags = ['Usage'];

export const usageRouteSpecs: RouteSpec[] = [
  {
    method: 'post',
    path: '/v1/usage',
    summary: 'Send usage events (each id counts once, ever)',
    description: `Up to ${MAX_EVENTS_PER_REQUEST} events and 1 MB. The envelope is strict; each event is checked on its own, so one bad event is listed in \`rejected\` without sinking the batch.`,
    tags,
    security: 'server',
    // NOTE: the route checks the envelope with usageBatchSchema, then each item with usageEventSchema.
    body: usageBatchSchema.extend({ events: z.array(usageEventSchema).min(1).max(MAX_EVENTS_PER_REQUEST) }),
    responses: {
      200: { description: 'What was stored, repeated and rejected.', schema: ingestionSchema },
      413: errorResponse('More than 1,000 events (`too_many_events`) or over 1 MB.'),
    },
  },
  {
    method: 'get',
    path: '/v1/entitlements',
    summary: "Every feature's limit and use in the current period",
    tags,
    security: 'user',
    responses: {
      200: {
        description: 'The entitlements.',
        schema: z.strictObject({
          object: z.literal('list'),
          account_id: z.string(),
          plan: z.string(),
          data: z.array(entitlementSchema),
        }),
      },
      404: errorResponse('The SaaS has not created this account yet.'),
    },
  },
  {
    method: 'get',
    path: '/v1/entitlements/snapshot',
    summary: "A signed snapshot of one account's entitlements, for a client's local cache",
    description:
      'Read from PostgreSQL on every call (never from a cache), so a client refetching after a change on the stream sees it. The SaaS backend verifies `signature` with its server API key.',
    tags,
    security: 'server',
    query: snapshotQuerySchema,
    responses: {
      200: { description: 'The snapshot and its signature.', schema: signedSnapshotSchema },
      404: errorResponse('No such account.'),
    },
  },
  {
    method: 'get',
    path: '/v1/entitlements/stream',
    summary: 'Server-sent events naming the accounts whose entitlements changed',
    description:
      'text/event-stream. `changed` (data `{"account_ids":[…]}`): refetch those snapshots. `resync`: changes may have been missed, drop every snapshot. `heartbeat` (data `{"at":…}`) every 500 ms. Send `Last-Event-ID` when reconnecting to catch up; the stream ends when the service stops hearing changes, and answers 503 until it hears them again.',
    tags,
    security: 'server',
    query: streamQuerySchema,
    responses: {
      200: {
        description: 'The event stream (never ends by itself).',
        schema: z.string(),
        contentType: 'text/event-stream',
      },
      503: errorResponse('The service is not hearing database changes right now (`stream_unavailable`); retry.'),
    },
  },
  {
    method: 'get',
    path: '/v1/entitlements/{feature}',
    summary: 'May the caller use `quantity` more of a feature? If not, the smallest upgrade that allows it',
    tags,
    security: 'user',
    params: entitlementParamsSchema,
    query: entitlementQuerySchema,
    responses: {
      200: { description: 'The check.', schema: entitlementCheckSchema },
      404: errorResponse('No such account or feature.'),
    },
  },
  {
    method: 'get',
    path: '/admin/v1/accounts/{id}/usage',
    summary: "An account's usage, projections and threshold crossings",
    tags,
    security: 'admin',
    params: adminAccountParamsSchema,
    responses: {
      200: { description: 'The usage report.', schema: usageReportSchema },
      404: errorResponse('No such account.'),
    },
  },
];
