import Stripe from 'stripe';
import { startStripeEmulator, type StripeEmulator, type StripeEmulatorOptions } from '../../src';

export interface Harness {
  emulator: StripeEmulator;
  stripe: Stripe;
}

/** An emulator on a random port and an official SDK client pointed at it. */
export async function startHarness(
  options: StripeEmulatorOptions & { maxNetworkRetries?: number } = {},
): Promise<Harness> {
  const { maxNetworkRetries, ...emulatorOptions } = options;
  const emulator = await startStripeEmulator({ port: 0, ...emulatorOptions });
  return { emulator, stripe: sdkFor(emulator, maxNetworkRetries ?? 0) };
}

export function sdkFor(emulator: StripeEmulator, maxNetworkRetries = 0): Stripe {
  return new Stripe(emulator.secretKey, {
    host: emulator.host,
    port: emulator.port,
    protocol: 'http',
    maxNetworkRetries,
  });
}

/** Advances a test clock and waits until Stripe (here: the emulator) reports it ready. */
export async function advanceClock(
  stripe: Stripe,
  clockId: string,
  frozenTime: number,
): Promise<Stripe.TestHelpers.TestClock> {
  await stripe.testHelpers.testClocks.advance(clockId, { frozen_time: frozenTime });
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const clock = await stripe.testHelpers.testClocks.retrieve(clockId);
    if (clock.status === 'ready') return clock;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`test clock ${clockId} never became ready`);
}

/** A customer on a fresh test clock, with a test card attached as the default payment method. */
export async function customerOnClock(
  stripe: Stripe,
  frozenTime: number,
  card = 'pm_card_visa',
): Promise<{ clock: Stripe.TestHelpers.TestClock; customer: Stripe.Customer; paymentMethodId: string }> {
  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: frozenTime });
  const customer = await stripe.customers.create({ test_clock: clock.id, email: 'buyer@example.com' });
  const paymentMethod = await stripe.paymentMethods.attach(card, { customer: customer.id });
  const updated = await stripe.customers.update(customer.id, {
    invoice_settings: { default_payment_method: paymentMethod.id },
  });
  return { clock, customer: updated, paymentMethodId: paymentMethod.id };
}

export async function monthlyPrice(
  stripe: Stripe,
  input: {
    amount: number;
    currency?: string;
    name?: string;
    interval?: 'month' | 'year';
    currencyOptions?: Record<string, number>;
  },
): Promise<Stripe.Price> {
  const product = await stripe.products.create({ name: input.name ?? 'Pro' });
  return stripe.prices.create({
    product: product.id,
    currency: input.currency ?? 'usd',
    unit_amount: input.amount,
    recurring: { interval: input.interval ?? 'month' },
    ...(input.currencyOptions
      ? {
          currency_options: Object.fromEntries(
            Object.entries(input.currencyOptions).map(([code, amount]) => [code, { unit_amount: amount }]),
          ),
        }
      : {}),
  });
}
