import type { Stripe, StripeClient } from '../stripe/stripe-client';

/**
 * What the webhook module reads from Stripe: the current version of an object.
 * NOTE: handlers never trust an event's embedded snapshot when order matters;
 * they refetch (STRIPE.md: "when order matters, refetch the object").
 */
export interface StripeObjects {
  subscription(id: string): Promise<Stripe.Subscription>;
  /** With `payments` expanded. */
  invoice(id: string): Promise<Stripe.Invoice>;
  charge(id: string): Promise<Stripe.Charge>;
  checkoutSession(id: string): Promise<Stripe.Checkout.Session>;
  /** Every subscription of a customer, whatever its status. */
  customerSubscriptions(customerId: string): Promise<Stripe.Subscription[]>;
}

/** The production StripeObjects: the official SDK (pointed at Stripe or the emulator). */
export function stripeObjectsFrom(client: StripeClient): StripeObjects {
  return {
    subscription: (id) => client.subscriptions.retrieve(id),
    // NOTE: `payments` is includable only: the PaymentIntents that paid it, the link to its charges.
    invoice: (id) => client.invoices.retrieve(id, { expand: ['payments'] }),
    charge: (id) => client.charges.retrieve(id),
    checkoutSession: (id) => client.checkout.sessions.retrieve(id),
    customerSubscriptions: async (customerId) => {
      const all: Stripe.Subscription[] = [];
      for await (const subscription of client.subscriptions.list({ customer: customerId, status: 'all', limit: 100 })) {
        all.push(subscription);
      }
      return all;
    },
  };
}

/** Used when no Stripe client is configured: every read fails, so events retry until one is. */
export const UNCONFIGURED_STRIPE: StripeObjects = {
  subscription: notConfigured,
  invoice: notConfigured,
  charge: notConfigured,
  checkoutSession: notConfigured,
  customerSubscriptions: notConfigured,
};

function notConfigured(): never {
  throw new Error('No Stripe client is configured for the webhook module.');
}
