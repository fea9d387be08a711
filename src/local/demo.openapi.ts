import { z } from 'zod';
import { errorResponse, type RouteSpec } from '../openapi/route-spec';
import { timestamp } from '../openapi/response-schemas';
import { demoClockBody, demoSessionQuery, demoUsageBody, emptyBody } from './demo-validators';

const clockSchema = z.strictObject({
  object: z.literal('demo_clock'),
  now: timestamp.meta({
    description: "The service's clock, skipped ahead by offset_days; every customer's Stripe test clock follows it.",
  }),
  offset_days: z.number(),
});

const movedClockSchema = clockSchema.extend({
  test_clocks_moved: z
    .number()
    .int()
    .meta({ description: "How many customers' Stripe test clocks were advanced to `now` (0 without Stripe)." }),
});

const tags = ['Demo (local mode only)'];

/** The demo page's helpers (src/local/demo.routes.ts): mounted, and documented, only in local mode. */
export const demoRouteSpecs: RouteSpec[] = [
  {
    method: 'get',
    path: '/demo/api/session',
    summary: 'A signed end-user token for the demo account, as a persona (role) and in a language',
    description: 'Hands out tokens without a credential: never mounted in production.',
    tags,
    security: 'none',
    localOnly: true,
    query: demoSessionQuery,
    responses: {
      200: {
        description: 'The session.',
        schema: z.strictObject({
          object: z.literal('demo_session'),
          account_id: z.string(),
          role: z.enum(['owner', 'admin', 'member']),
          locale: z.string(),
          token: z.string(),
          stripe_publishable_key: z.string().nullable(),
          now: timestamp,
          offset_days: z.number(),
        }),
      },
      404: errorResponse('The demo account is not seeded, or no HS256 key signs demo tokens.'),
    },
  },
  {
    method: 'post',
    path: '/demo/api/usage',
    summary: "Usage for the demo account, as the SaaS backend would send it (a gauge's step becomes its new total)",
    tags,
    security: 'none',
    localOnly: true,
    body: demoUsageBody,
    responses: {
      200: {
        description: 'What was stored.',
        schema: z.strictObject({
          object: z.literal('demo_usage'),
          accepted: z.number().int(),
          duplicates: z.number().int(),
          rejected: z.array(z.unknown()).max(0).meta({ description: 'Always empty: a rejected event is a 422.' }),
        }),
      },
    },
  },
  {
    method: 'get',
    path: '/demo/api/clock',
    summary: "The demo's clock",
    tags,
    security: 'none',
    localOnly: true,
    responses: { 200: { description: 'The clock.', schema: clockSchema } },
  },
  {
    method: 'post',
    path: '/demo/api/clock',
    summary: "Skip the service's clock, and every customer's Stripe test clock, ahead by whole days",
    description:
      'Forward only: `days` is at least 1 (a move back is a 422), as Stripe test clocks never go back. ' +
      'The offset is kept in DATA_DIR, so a restart resumes where the clock stood.',
    tags,
    security: 'none',
    localOnly: true,
    callsStripe: true,
    body: demoClockBody,
    responses: { 200: { description: 'The clock, moved.', schema: movedClockSchema } },
  },
  {
    method: 'post',
    path: '/demo/api/settle',
    summary: 'Finish interrupted billing operations now (a returned Checkout) instead of at the next janitor run',
    tags,
    security: 'none',
    localOnly: true,
    callsStripe: true,
    body: emptyBody,
    responses: {
      415: errorResponse('The body was not JSON: send `{}` with Content-Type: application/json.'),
      200: {
        description: "The billing janitor's report (null without billing).",
        schema: z.strictObject({
          object: z.literal('demo_settle'),
          report: z
            .strictObject({
              examined: z.number().int(),
              completed: z.number().int(),
              failed: z.number().int(),
              stillOpen: z.number().int(),
            })
            .nullable(),
        }),
      },
    },
  },
];
