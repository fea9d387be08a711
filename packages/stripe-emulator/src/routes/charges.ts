import { paginate } from '../http/list-response';
import { string } from '../http/param-schema';
import { defineRoute, listParams, type Route } from '../http/route';
import type { Charge } from '../resource-types';

/** Charges (read-only: they come from PaymentIntents) and disputes. */
export const chargeRoutes: Route[] = [
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
    method: 'GET',
    path: '/v1/disputes/:id',
    params: {},
    handle: ({ context, path }) => context.store.require('dispute', path.id ?? '', 'dispute'),
  }),
];
