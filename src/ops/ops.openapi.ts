import { z } from 'zod';
import type { RouteSpec } from '../openapi/route-spec';

const tags = ['Operations'];
const readinessSchema = z.strictObject({
  status: z.enum(['ready', 'not_ready']),
  checks: z.record(z.string(), z.string()).meta({
    description:
      'Each dependency checked: `ok` or `unavailable` (`shutdown: draining` while stopping). Only `database` gates readiness; `stripe` is reported.',
  }),
});

export const opsRouteSpecs: RouteSpec[] = [
  {
    method: 'get',
    path: '/healthz',
    summary: 'The process is up',
    tags,
    security: 'none',
    responses: { 200: { description: 'Up.', schema: z.strictObject({ status: z.literal('ok') }) } },
  },
  {
    method: 'get',
    path: '/readyz',
    summary: 'The database answers (503 while starting, draining or without it); Stripe is reported, never gating',
    tags,
    security: 'none',
    responses: {
      200: { description: 'Ready for traffic.', schema: readinessSchema },
      503: { description: 'Not ready: starting, draining, or the database is unavailable.', schema: readinessSchema },
    },
  },
  {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics',
    tags,
    security: 'none',
    responses: {
      200: { description: 'Prometheus text exposition format.', schema: z.string(), contentType: 'text/plain' },
    },
  },
];
