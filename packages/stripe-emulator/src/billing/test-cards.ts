import type { CardBehaviour } from '../store';

/** Stripe's test PaymentMethod ids and how the emulator's card network treats them. */
export const TEST_CARDS: Record<string, { behaviour: CardBehaviour; brand: string; last4: string }> = {
  pm_card_visa: { behaviour: 'succeeds', brand: 'visa', last4: '4242' },
  pm_card_mastercard: { behaviour: 'succeeds', brand: 'mastercard', last4: '4444' },
  pm_card_chargeDeclined: { behaviour: 'declined', brand: 'visa', last4: '0002' },
  pm_card_authenticationRequired: { behaviour: 'requires_authentication', brand: 'visa', last4: '3184' },
  pm_card_threeDSecure2Required: { behaviour: 'requires_authentication', brand: 'visa', last4: '3220' },
  pm_card_chargeCustomerFail: { behaviour: 'fails_when_charged', brand: 'visa', last4: '0341' },
};

export function isTestCard(id: string): boolean {
  return id in TEST_CARDS;
}
