import type { EmulatorContext } from '../emulator-context';
import { emitEvent, timeFor } from '../emulator-context';
import { newId } from '../ids';
import type { Charge, PaymentIntent } from '../resource-types';

export const DECLINE = {
  code: 'card_declined',
  decline_code: 'generic_decline',
  message: 'Your card was declined.',
} as const;

function cardDetails(context: EmulatorContext, paymentMethodId: string): Record<string, unknown> {
  const card = context.store.get(paymentMethodId)?.card as Record<string, unknown> | undefined;
  return {
    brand: card?.brand ?? 'visa',
    last4: card?.last4 ?? '4242',
    exp_month: card?.exp_month ?? 12,
    exp_year: card?.exp_year ?? 2034,
    country: 'US',
    funding: 'credit',
    network: card?.brand ?? 'visa',
  };
}

/** A charge for a PaymentIntent attempt: captured on success, `failed` on a decline. */
export function createCharge(
  context: EmulatorContext,
  paymentIntent: PaymentIntent,
  paymentMethodId: string,
  succeeded: boolean,
): Charge {
  const charge: Charge = {
    id: newId('ch'),
    object: 'charge',
    amount: paymentIntent.amount,
    amount_captured: succeeded ? paymentIntent.amount : 0,
    amount_refunded: 0,
    balance_transaction: succeeded ? newId('txn') : null,
    captured: succeeded,
    created: timeFor(context, paymentIntent.customer),
    currency: paymentIntent.currency,
    customer: paymentIntent.customer,
    description: paymentIntent.description ?? null,
    disputed: false,
    failure_code: succeeded ? null : DECLINE.code,
    failure_message: succeeded ? null : DECLINE.message,
    livemode: false,
    metadata: {},
    outcome: succeeded
      ? {
          network_status: 'approved_by_network',
          reason: null,
          risk_level: 'normal',
          seller_message: 'Payment complete.',
          type: 'authorized',
        }
      : {
          network_status: 'declined_by_network',
          reason: DECLINE.decline_code,
          risk_level: 'normal',
          seller_message: 'The bank did not return any further details with this decline.',
          type: 'issuer_declined',
        },
    paid: succeeded,
    payment_intent: paymentIntent.id,
    payment_method: paymentMethodId,
    payment_method_details: { type: 'card', card: cardDetails(context, paymentMethodId) },
    receipt_url: null,
    refunded: false,
    status: succeeded ? 'succeeded' : 'failed',
  };
  context.store.insert(charge);
  emitEvent(context, succeeded ? 'charge.succeeded' : 'charge.failed', charge);
  return charge;
}
