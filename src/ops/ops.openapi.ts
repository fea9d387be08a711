import { z } from 'zod';
import type { RouteSpec } from '../openapi/route-spec';

const tags = ['Operations'];
const readinessSchema = z.strictObject({
  status: z.enum(['ready', 'not_ready']),
  checks: z
    .record(z.string(), z.string())
    .meta({ description: 'Each dependency checked: `ok` or why it failed (`shutdown: draining` while stopping).' }),
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
    summary: 'The database and Stripe answer (503 while starting or draining)',
    tags,
    security: 'none',
    responses: {
      200: { description: 'Ready for traffic.', schema: readinessSchema },
      503: { description: 'Not ready: starting, draining, or a dependency is down.', schema: readinessSchema },
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
