import { paginate } from '../http/list-response';
import { object, oneOf, required, string } from '../http/param-schema';
import { defineRoute, listParams, type Route } from '../http/route';
import type { Resource } from '../resource-types';

const BASE = '/v1/invoice_payments';

/** Invoice payments: how each invoice was (or is being) paid, by PaymentIntent. */
export const invoicePaymentRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    path: `${BASE}/:id`,
    params: {},
    handle: ({ context, path }) =>
      context.store.require('invoice_payment', path.id ?? '', 'invoice_payment', 'invoice payment'),
  }),
  defineRoute({
    method: 'GET',
    path: BASE,
    params: {
      ...listParams,
      invoice: string(),
      status: oneOf(['canceled', 'open', 'paid']),
      payment: object({ type: required(oneOf(['payment_intent', 'payment_record'])), payment_intent: string() }),
    },
    handle: ({ context, params }) =>
      paginate(
        context.store.all<Resource>('invoice_payment', (payment) => {
          const target = payment.payment as { payment_intent?: string };
          return (
            (!params.invoice || payment.invoice === params.invoice) &&
            (!params.status || payment.status === params.status) &&
            (!params.payment?.payment_intent || target.payment_intent === params.payment.payment_intent)
          );
        }),
        params,
        BASE,
      ),
  }),
];
