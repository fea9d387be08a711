import { createStripeClient, Stripe, STRIPE_API_VERSION } from '../../src/stripe/stripe-client';
import { startHarness, type Harness } from '../../packages/stripe-emulator/test/support/emulator-harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness.emulator.close());

// docs.stripe.com/sdks/set-version and docs.stripe.com/upgrades ("Specify the API version in your
// SDK"), STRIPE.md: the client pins the API version itself, so an SDK upgrade never moves it silently.
describe('the pinned API version', () => {
  it('is 2026-10-28.endive, set by the client and answered by the emulator', async () => {
    expect(STRIPE_API_VERSION).toBe('2026-10-28.endive');
    const { emulator } = harness;
    const stripe = createStripeClient({
      secretKey: emulator.secretKey,
      emulator: { host: emulator.host, port: emulator.port },
      maxNetworkRetries: 0,
    });
    expect((stripe as unknown as { getApiField(name: string): string }).getApiField('version')).toBe(
      STRIPE_API_VERSION,
    );
    const customer = await stripe.customers.create({});
    expect(customer.lastResponse.apiVersion).toBe(STRIPE_API_VERSION);
  });

  it('is the version the installed SDK is generated for (an SDK upgrade must move the pin deliberately)', () => {
    expect(Stripe.API_VERSION).toBe(STRIPE_API_VERSION);
  });
});
