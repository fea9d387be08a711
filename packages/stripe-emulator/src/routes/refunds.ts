import { createRefund } from '../billing/refunds';
import { paginate } from '../http/list-response';
import { metadata, oneOf, integer, string } from '../http/param-schema';
import { defineRoute, listParams, type Route } from '../http/route';

/** Refunds, full or partial, never beyond what was captured. */
export const refundRoutes: Route[] = [
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
];
