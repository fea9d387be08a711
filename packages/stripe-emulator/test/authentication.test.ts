import type Stripe from 'stripe';
import { customerOnClock, startHarness, type Harness } from './support/emulator-harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness.emulator.close());

async function paymentNeedingAuthentication(returnUrl?: string): Promise<Stripe.PaymentIntent> {
  const { stripe } = harness;
  const { customer } = await customerOnClock(stripe, Math.floor(Date.now() / 1000));
  return stripe.paymentIntents.create({
    amount: 1200,
    currency: 'eur',
    customer: customer.id,
    payment_method: 'pm_card_authenticationRequired',
    confirm: true,
    ...(returnUrl ? { return_url: returnUrl } : {}),
  });
}

const post = (url: string) => fetch(url, { method: 'POST', redirect: 'manual' });

describe('3-D Secure', () => {
  it('asks for authentication with use_stripe_sdk and a client secret', async () => {
    const paymentIntent = await paymentNeedingAuthentication();
    expect(paymentIntent).toMatchObject({ status: 'requires_action', next_action: { type: 'use_stripe_sdk' } });
    expect(paymentIntent.client_secret).toMatch(new RegExp(`^${paymentIntent.id}_secret_`));
  });

  it('redirects through a challenge page back to return_url when one is given', async () => {
    const paymentIntent = await paymentNeedingAuthentication('https://app.example.com/return');
    const challenge = paymentIntent.next_action?.redirect_to_url?.url ?? '';
    expect(challenge).toContain('/authenticate/');
    expect(await (await fetch(challenge)).text()).toContain('Complete authentication');
    const response = await post(
      challenge.replace(`/authenticate/${paymentIntent.id}`, `/authenticate/${paymentIntent.id}/complete`),
    );
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe('https://app.example.com/return');
    expect(location.searchParams.get('redirect_status')).toBe('succeeded');
    expect(await harness.stripe.paymentIntents.retrieve(paymentIntent.id)).toMatchObject({
      status: 'succeeded',
      amount_received: 1200,
    });
  });

  it('fails authentication through the test control, back to requires_payment_method', async () => {
    const paymentIntent = await paymentNeedingAuthentication();
    await harness.emulator.control.failAuthentication(paymentIntent.id);
    expect(await harness.stripe.paymentIntents.retrieve(paymentIntent.id)).toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: { code: 'payment_intent_authentication_failure' },
    });
  });

  it('completes authentication over the HTTP control route', async () => {
    const paymentIntent = await paymentNeedingAuthentication();
    const response = await post(
      `${harness.emulator.url}/_emulator/payment_intents/${paymentIntent.id}/complete_authentication`,
    );
    expect(response.status).toBe(200);
    expect((await harness.stripe.paymentIntents.retrieve(paymentIntent.id)).status).toBe('succeeded');
  });
});
