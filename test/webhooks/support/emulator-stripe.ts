import { startStripeEmulator, type StripeEmulator } from '@tierlift/stripe-emulator';
import { createStripeClient, type StripeClient } from '../../../src/stripe/stripe-client';

export interface EmulatedStripe {
  emulator: StripeEmulator;
  sdk: StripeClient;
}

/** The in-process Stripe emulator and the service's own SDK client pointed at it. */
export async function startEmulatedStripe(): Promise<EmulatedStripe> {
  const emulator = await startStripeEmulator({ port: 0 });
  const sdk = createStripeClient({
    secretKey: emulator.secretKey,
    emulator: { host: emulator.host, port: emulator.port },
    maxNetworkRetries: 0,
  });
  return { emulator, sdk };
}

/** Catalog-synced plan prices as catalog sync writes them (lookup key and metadata). */
export async function planPrices(sdk: StripeClient): Promise<{ pro: string; premium: string }> {
  const price = async (code: string, amount: number) => {
    const product = await sdk.products.create({
      name: code,
      metadata: { tierlift_kind: 'plan', tierlift_code: code },
    });
    const created = await sdk.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: amount,
      recurring: { interval: 'month' },
      lookup_key: `tierlift_plan_${code}_month`,
      metadata: { tierlift_kind: 'plan', tierlift_code: code, tierlift_interval: 'month' },
    });
    return created.id;
  };
  return { pro: await price('pro', 1900), premium: await price('premium', 4900) };
}

/** A customer with a default card (one that pays, unless told otherwise), as the accounts module would create it. */
export async function payingCustomer(sdk: StripeClient, accountId: string, card = 'pm_card_visa'): Promise<string> {
  const customer = await sdk.customers.create({
    email: `${accountId}@example.test`,
    metadata: { tierlift_account_id: accountId },
  });
  const method = await sdk.paymentMethods.attach(card, { customer: customer.id });
  await sdk.customers.update(customer.id, { invoice_settings: { default_payment_method: method.id } });
  return customer.id;
}
