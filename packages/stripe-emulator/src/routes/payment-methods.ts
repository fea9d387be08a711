import { emitEvent } from '../emulator-context';
import { attachPaymentMethod, createPaymentMethodFromTestCard, type PaymentMethod } from '../billing/payment-methods';
import { paginate } from '../http/list-response';
import { metadata, object, oneOf, required, string } from '../http/param-schema';
import { defineRoute, listParams, type Route } from '../http/route';
import type { Customer } from '../resource-types';

function listFor(
  customerId: string,
  paymentMethods: PaymentMethod[],
  page: { limit?: number; starting_after?: string; ending_before?: string },
) {
  return paginate(paymentMethods, page, `/v1/customers/${customerId}/payment_methods`);
}

export const paymentMethodRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    path: '/v1/payment_methods',
    params: { type: required(oneOf(['card'])), card: object({ token: string() }), metadata: metadata() },
    handle: ({ context, params }) => {
      const token = params.card?.token ?? 'tok_visa';
      const paymentMethod = createPaymentMethodFromTestCard(context, token.replace(/^tok_/, 'pm_card_'), 'card[token]');
      if (params.metadata) paymentMethod.metadata = params.metadata;
      return paymentMethod;
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/payment_methods/:id',
    params: {},
    handle: ({ context, path }) =>
      context.store.require<PaymentMethod>('payment_method', path.id ?? '', 'id', 'PaymentMethod'),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/payment_methods/:id/attach',
    params: { customer: required(string()) },
    handle: ({ context, params, path }) => {
      context.store.require<Customer>('customer', params.customer, 'customer');
      const paymentMethod = attachPaymentMethod(context, path.id ?? '', params.customer, 'payment_method');
      emitEvent(context, 'payment_method.attached', paymentMethod);
      return paymentMethod;
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/payment_methods/:id/detach',
    params: {},
    handle: ({ context, path }) => {
      const paymentMethod = context.store.require<PaymentMethod>(
        'payment_method',
        path.id ?? '',
        'id',
        'PaymentMethod',
      );
      const previous = { customer: paymentMethod.customer };
      paymentMethod.customer = null;
      emitEvent(context, 'payment_method.detached', paymentMethod, { previous });
      return paymentMethod;
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/payment_methods',
    params: { ...listParams, customer: string(), type: oneOf(['card']) },
    handle: ({ context, params }) =>
      paginate(
        context.store.all<PaymentMethod>(
          'payment_method',
          (paymentMethod) => !params.customer || paymentMethod.customer === params.customer,
        ),
        params,
        '/v1/payment_methods',
      ),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/customers/:customer/payment_methods',
    params: { ...listParams, type: oneOf(['card']) },
    handle: ({ context, params, path }) => {
      const customer = context.store.require<Customer>('customer', path.customer ?? '', 'customer');
      return listFor(
        customer.id,
        context.store.all<PaymentMethod>('payment_method', (paymentMethod) => paymentMethod.customer === customer.id),
        params,
      );
    },
  }),
];
