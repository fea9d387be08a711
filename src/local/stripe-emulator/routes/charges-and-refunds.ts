import { createRefund } from '../billing/refunds';
import { paginate } from '../http/list-response';
import { metadata, oneOf, integer, string } from '../http/param-schema';
import { defineRoute, listParams, type Route } from '../http/route';
import type { Charge } from '../resource-types';

export const chargeAndRefundRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    path: '/v1/charges/:id',
    params: {},
    handle: ({ context, path }) => context.store.require<Charge>('charge', path.id ?? '', 'charge'),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/charges',
    params: { ...listParams, customer: string(), payment_intent: string() },
    handle: ({ context, params }) =>
      paginate(
        context.store.all<Charge>(
          'charge',
          (charge) =>
            (!params.customer || charge.customer === params.customer) &&
            (!params.payment_intent || charge.payment_intent === params.payment_intent),
        ),
        params,
        '/v1/charges',
      ),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/refunds',
    params: {
      charge: string(),
      payment_intent: string(),
      amount: integer(),
      reason: oneOf(['duplicate', 'fraudulent', 'requested_by_customer']),
      metadata: metadata(),
    },
    handle: ({ context, params }) => createRefund(context, params),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/refunds/:id',
    params: {},
    handle: ({ context, path }) => context.store.require('refund', path.id ?? '', 'refund'),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/refunds',
    params: { ...listParams, charge: string(), payment_intent: string() },
    handle: ({ context, params }) =>
      paginate(
        context.store.all(
          'refund',
          (refund) =>
            (!params.charge || refund.charge === params.charge) &&
            (!params.payment_intent || refund.payment_intent === params.payment_intent),
        ),
        params,
        '/v1/refunds',
      ),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/disputes/:id',
    params: {},
    handle: ({ context, path }) => context.store.require('dispute', path.id ?? '', 'dispute'),
  }),
];
