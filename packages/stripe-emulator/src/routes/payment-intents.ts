import type { EmulatorContext } from '../emulator-context';
import { resolvePaymentMethod } from '../billing/payment-methods';
import { cardDeclinedError, confirmPaymentIntent, createPaymentIntent } from '../billing/payment-intents';
import { settlePaymentIntent } from '../billing/settle-payment-intent';
import { paginate } from '../http/list-response';
import { array, boolean, integer, metadata, object, oneOf, required, string } from '../http/param-schema';
import { defineRoute, listParams, type Route } from '../http/route';
import type { PaymentIntent } from '../resource-types';
import { emitEvent } from '../emulator-context';
import { invalidRequest } from '../stripe-error';

function requirePaymentIntent(context: EmulatorContext, id: string): PaymentIntent {
  return context.store.require<PaymentIntent>('payment_intent', id, 'intent', 'payment_intent');
}

/** Confirms and answers like Stripe: a decline is a 402 whose declined state is kept. */
function confirmAndSettle(
  context: EmulatorContext,
  paymentIntent: PaymentIntent,
  paymentMethodId: string | null,
  returnUrl: string | null,
): PaymentIntent {
  const methodId = paymentMethodId ? resolvePaymentMethod(context, paymentMethodId, 'payment_method').id : null;
  const outcome = confirmPaymentIntent(context, paymentIntent, methodId, returnUrl);
  settlePaymentIntent(context, paymentIntent);
  if (outcome === 'declined') throw cardDeclinedError(paymentIntent);
  return paymentIntent;
}

const confirmParams = {
  payment_method: string(),
  off_session: boolean(),
  return_url: string(),
  payment_method_types: array(string()),
  setup_future_usage: oneOf(['off_session', 'on_session']),
  mandate_data: object({}),
};

export const paymentIntentRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    path: '/v1/payment_intents',
    params: {
      ...confirmParams,
      amount: required(integer()),
      currency: required(string()),
      customer: string(),
      confirm: boolean(),
      description: string(),
      metadata: metadata(),
      receipt_email: string(),
      capture_method: oneOf(['automatic']),
      automatic_payment_methods: object({ enabled: required(boolean()), allow_redirects: oneOf(['always', 'never']) }),
      statement_descriptor_suffix: string(),
    },
    handle: ({ context, params }) => {
      if (params.amount < 1)
        throw invalidRequest('This value must be greater than or equal to 1.', {
          param: 'amount',
          code: 'parameter_invalid_integer',
        });
      if (params.customer) context.store.require('customer', params.customer, 'customer');
      const paymentMethod = params.payment_method
        ? resolvePaymentMethod(context, params.payment_method, 'payment_method').id
        : null;
      const paymentIntent = createPaymentIntent(context, {
        amount: params.amount,
        currency: params.currency.toLowerCase(),
        customer: params.customer ?? null,
        paymentMethod,
        description: params.description,
        metadata: params.metadata,
      });
      return params.confirm
        ? confirmAndSettle(context, paymentIntent, paymentMethod, params.return_url ?? null)
        : paymentIntent;
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/payment_intents/:id',
    params: { client_secret: string() },
    handle: ({ context, path }) => requirePaymentIntent(context, path.id ?? ''),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/payment_intents/:id/confirm',
    params: confirmParams,
    handle: ({ context, params, path }) =>
      confirmAndSettle(
        context,
        requirePaymentIntent(context, path.id ?? ''),
        params.payment_method ?? null,
        params.return_url ?? null,
      ),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/payment_intents/:id/cancel',
    params: { cancellation_reason: oneOf(['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned']) },
    handle: ({ context, params, path }) => {
      const paymentIntent = requirePaymentIntent(context, path.id ?? '');
      if (paymentIntent.status === 'succeeded' || paymentIntent.status === 'canceled') {
        throw invalidRequest(
          `You cannot cancel this PaymentIntent because it has a status of ${paymentIntent.status}.`,
          { code: 'payment_intent_unexpected_state' },
        );
      }
      Object.assign(paymentIntent, {
        status: 'canceled',
        canceled_at: context.realNow(),
        cancellation_reason: params.cancellation_reason ?? null,
        next_action: null,
      });
      emitEvent(context, 'payment_intent.canceled', paymentIntent);
      return paymentIntent;
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/payment_intents',
    params: { ...listParams, customer: string() },
    handle: ({ context, params }) =>
      paginate(
        context.store.all<PaymentIntent>(
          'payment_intent',
          (intent) => !params.customer || intent.customer === params.customer,
        ),
        params,
        '/v1/payment_intents',
      ),
  }),
];
