import type { EmulatorContext } from '../emulator-context';
import { emitEvent, timeFor } from '../emulator-context';
import { newId } from '../ids';
import type { PaymentIntent } from '../resource-types';
import { StripeEmulatorError, invalidRequest } from '../stripe-error';
import { createCharge, DECLINE } from './charges';
import { cardBehaviour } from './payment-methods';

export type PaymentOutcome = 'succeeded' | 'declined' | 'requires_action' | 'requires_payment_method';

export function createPaymentIntent(
  context: EmulatorContext,
  input: {
    amount: number;
    currency: string;
    customer: string | null;
    paymentMethod: string | null;
    description?: string | null;
    metadata?: Record<string, string>;
  },
): PaymentIntent {
  const id = newId('pi');
  const paymentIntent: PaymentIntent = {
    id,
    object: 'payment_intent',
    amount: input.amount,
    amount_capturable: 0,
    amount_received: 0,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic',
    client_secret: `${id}_secret_${newId('', 25)}`,
    confirmation_method: 'automatic',
    created: timeFor(context, input.customer),
    currency: input.currency,
    customer: input.customer,
    description: input.description ?? null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: input.metadata ?? {},
    next_action: null,
    payment_method: input.paymentMethod,
    payment_method_types: ['card'],
    setup_future_usage: null,
    status: input.paymentMethod ? 'requires_confirmation' : 'requires_payment_method',
  };
  context.store.insert(paymentIntent);
  emitEvent(context, 'payment_intent.created', paymentIntent);
  return paymentIntent;
}

/** Runs the test card's rule: charge it, ask for 3-D Secure, or decline. */
export function confirmPaymentIntent(
  context: EmulatorContext,
  paymentIntent: PaymentIntent,
  paymentMethodId: string | null,
  returnUrl: string | null = null,
): PaymentOutcome {
  if (paymentIntent.status === 'succeeded' || paymentIntent.status === 'canceled') {
    throw invalidRequest(
      `This PaymentIntent's payment_method could not be updated because it has a status of ${paymentIntent.status}.`,
      { code: 'payment_intent_unexpected_state' },
    );
  }
  const methodId = paymentMethodId ?? paymentIntent.payment_method;
  if (!methodId) {
    throw invalidRequest("You cannot confirm this PaymentIntent because it's missing a payment method.", {
      code: 'payment_intent_unexpected_state',
    });
  }
  paymentIntent.payment_method = methodId;
  const behaviour = cardBehaviour(context, methodId);
  if (behaviour === 'requires_authentication') {
    paymentIntent.status = 'requires_action';
    const challenge = `${context.baseUrl}/authenticate/${paymentIntent.id}`;
    paymentIntent.next_action = returnUrl
      ? {
          type: 'redirect_to_url',
          redirect_to_url: { url: `${challenge}?return_url=${encodeURIComponent(returnUrl)}`, return_url: returnUrl },
        }
      : {
          type: 'use_stripe_sdk',
          use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: challenge, source: newId('src') },
        };
    emitEvent(context, 'payment_intent.requires_action', paymentIntent);
    return 'requires_action';
  }
  if (behaviour === 'declined' || behaviour === 'fails_when_charged') {
    failPaymentIntent(context, paymentIntent, methodId);
    return 'declined';
  }
  succeedPaymentIntent(context, paymentIntent, methodId);
  return 'succeeded';
}

export function succeedPaymentIntent(
  context: EmulatorContext,
  paymentIntent: PaymentIntent,
  paymentMethodId: string,
): void {
  const charge = createCharge(context, paymentIntent, paymentMethodId, true);
  Object.assign(paymentIntent, {
    status: 'succeeded',
    amount_received: paymentIntent.amount,
    latest_charge: charge.id,
    next_action: null,
    last_payment_error: null,
  });
  emitEvent(context, 'payment_intent.succeeded', paymentIntent);
}

export function failPaymentIntent(
  context: EmulatorContext,
  paymentIntent: PaymentIntent,
  paymentMethodId: string,
): void {
  const charge = createCharge(context, paymentIntent, paymentMethodId, false);
  const paymentMethod = context.store.get(paymentMethodId);
  Object.assign(paymentIntent, {
    status: 'requires_payment_method',
    latest_charge: charge.id,
    next_action: null,
    last_payment_error: {
      type: 'card_error',
      ...DECLINE,
      charge: charge.id,
      doc_url: 'https://stripe.com/docs/error-codes/card-declined',
      payment_method: paymentMethod ?? null,
    },
  });
  emitEvent(context, 'payment_intent.payment_failed', paymentIntent);
}

/** 3-D Secure abandoned or refused by the cardholder. */
export function failAuthentication(context: EmulatorContext, paymentIntent: PaymentIntent): void {
  Object.assign(paymentIntent, {
    status: 'requires_payment_method',
    next_action: null,
    last_payment_error: {
      type: 'invalid_request_error',
      code: 'payment_intent_authentication_failure',
      message:
        'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.',
      doc_url: 'https://stripe.com/docs/error-codes/payment-intent-authentication-failure',
    },
  });
  emitEvent(context, 'payment_intent.payment_failed', paymentIntent);
}

/** The 402 Stripe answers for a declined confirmation; the declined state itself is kept. */
export function cardDeclinedError(paymentIntent: PaymentIntent): StripeEmulatorError {
  const error = new StripeEmulatorError(402, {
    type: 'card_error',
    code: DECLINE.code,
    decline_code: DECLINE.decline_code,
    message: DECLINE.message,
    charge: paymentIntent.latest_charge ?? undefined,
    payment_intent: JSON.parse(JSON.stringify(paymentIntent)) as Record<string, unknown>,
  });
  error.keepsChanges = true;
  return error;
}
