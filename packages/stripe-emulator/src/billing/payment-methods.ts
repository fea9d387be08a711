import type { EmulatorContext } from '../emulator-context';
import { timeFor } from '../emulator-context';
import { newId } from '../ids';
import type { Resource } from '../resource-types';
import type { CardBehaviour } from '../store';
import { resourceMissing } from '../stripe-error';
import { TEST_CARDS } from './test-cards';

export interface PaymentMethod extends Resource {
  object: 'payment_method';
  customer: string | null;
  type: 'card';
}

/** A fresh `pm_...` from a test id (`pm_card_visa`), keeping the test card's behaviour. */
export function createPaymentMethodFromTestCard(
  context: EmulatorContext,
  testId: string,
  param: string,
): PaymentMethod {
  const card = TEST_CARDS[testId];
  if (!card) throw resourceMissing('PaymentMethod', testId, param);
  const paymentMethod: PaymentMethod = {
    id: newId('pm'),
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: { address: null, email: null, name: null, phone: null, tax_id: null },
    card: {
      brand: card.brand,
      country: 'US',
      exp_month: 12,
      exp_year: 2034,
      funding: 'credit',
      last4: card.last4,
      display_brand: card.brand,
    },
    created: context.realNow(),
    customer: null,
    livemode: false,
    metadata: {},
    type: 'card',
  };
  context.store.insert(paymentMethod);
  context.store.internal.cardBehaviours[paymentMethod.id] = card.behaviour;
  return paymentMethod;
}

/** Resolves a stored PaymentMethod, or mints one from a test id. */
export function resolvePaymentMethod(context: EmulatorContext, id: string, param: string): PaymentMethod {
  const stored = context.store.find<PaymentMethod>('payment_method', id);
  if (stored) return stored;
  return createPaymentMethodFromTestCard(context, id, param);
}

export function attachPaymentMethod(
  context: EmulatorContext,
  id: string,
  customerId: string,
  param: string,
): PaymentMethod {
  const paymentMethod = resolvePaymentMethod(context, id, param);
  paymentMethod.customer = customerId;
  paymentMethod.created = timeFor(context, customerId);
  return paymentMethod;
}

export function cardBehaviour(context: EmulatorContext, paymentMethodId: string): CardBehaviour {
  return context.store.internal.cardBehaviours[paymentMethodId] ?? TEST_CARDS[paymentMethodId]?.behaviour ?? 'succeeds';
}
