import { z } from 'zod';
import { changeSchema } from '../billing/billing.openapi';
import { errorResponse, type RouteSpec } from '../openapi/route-spec';
import { listOf, timestamp } from '../openapi/response-schemas';
import { emptyBodySchema } from '../shared/http/validate';
import { customerParams, searchCustomersQuery, timelineQuery } from './customers.validators';

/** customerView (src/customers/customers.repository.ts). */
const customer = {
  object: z.literal('customer'),
  id: z.string(),
  name: z.string(),
  email: z.string(),
  country: z.string(),
  stripe_customer_id: z.string().nullable(),
  signed_up_at: timestamp,
};

const timelineEntry = z.strictObject({
  at: timestamp,
  kind: z.string().meta({
    description:
      '`usage.threshold_crossed`, `prompt.impression|click|dismiss…`, `quote`, `change.<kind>`, `payment`, `refund`, `webhook.<type>`, `outbound.<type>`.',
  }),
  summary: z.record(z.string(), z.unknown()),
});

const missing = errorResponse('No account with this id.');
const tags = ['Customers'];

const onBehalf = (path: string, summary: string): RouteSpec => ({
  method: 'post',
  path,
  summary,
  description: "The end user's billing use case run for the account's owner: the same journal and Stripe keys.",
  tags,
  security: 'admin',
  callsStripe: true,
  idempotencyKey: 'optional',
  params: customerParams,
  body: emptyBodySchema,
  responses: { 200: { description: 'What happened.', schema: changeSchema }, 404: missing },
});

export const customersRouteSpecs: RouteSpec[] = [
  {
    method: 'get',
    path: '/admin/v1/customers',
    summary: 'Search customers by account id, e-mail, name or Stripe customer id',
    tags,
    security: 'admin',
    query: searchCustomersQuery,
    responses: { 200: { description: 'Matches, exact id first.', schema: listOf(z.strictObject(customer)) } },
  },
  {
    method: 'get',
    path: '/admin/v1/customers/{id}',
    summary: 'One customer and its timeline, newest first',
    tags,
    security: 'admin',
    params: customerParams,
    query: timelineQuery,
    responses: {
      200: {
        description: 'The customer.',
        schema: z.strictObject({ ...customer, timeline: z.array(timelineEntry) }),
      },
      404: missing,
    },
  },
  onBehalf('/admin/v1/customers/{id}/cancel', "Cancel the customer's subscription at the period end"),
  onBehalf('/admin/v1/customers/{id}/resume', "Take back the customer's cancellation"),
];
