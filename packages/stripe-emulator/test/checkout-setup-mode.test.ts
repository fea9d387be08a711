import type Stripe from 'stripe';
import { startHarness, type Harness } from './support/emulator-harness';

/**
 * Checkout in setup mode, per docs.stripe.com/payments/save-and-reuse?platform=checkout and
 * docs.stripe.com/api/checkout/sessions/create (`mode=setup`: no line items; a currency when
 * payment_method_types is not given): completing the page confirms a SetupIntent that saves the card
 * on the customer; as in Stripe, nothing is made a default (the integration does that).
 */
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness.emulator.close());

const post = (url: string, body = '') =>
  fetch(url, {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    redirect: 'manual',
  });

describe('Checkout Sessions in setup mode', () => {
  it('saves a card through a SetupIntent and redirects to success_url', async () => {
    const { stripe } = harness;
    const customer = await stripe.customers.create({ email: 'setup@example.com' });
    const session = await stripe.checkout.sessions.create({
      mode: 'setup',
      currency: 'usd',
      customer: customer.id,
      success_url: 'https://app.example.com/billing?setup={CHECKOUT_SESSION_ID}',
      cancel_url: 'https://app.example.com/billing',
      metadata: { purpose: 'update_card' },
    });
    expect(session).toMatchObject({ mode: 'setup', status: 'open', payment_status: 'no_payment_required' });
    const page = await (await fetch(session.url!)).text();
    expect(page).toContain('Save card');

    const response = await post(`${session.url}/pay`, 'card=pm_card_mastercard');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`https://app.example.com/billing?setup=${session.id}`);
    const completed = await stripe.checkout.sessions.retrieve(session.id);
    expect(completed).toMatchObject({ status: 'complete', payment_status: 'no_payment_required', subscription: null });
    const intent = await stripe.setupIntents.retrieve(String(completed.setup_intent));
    expect(intent).toMatchObject({
      object: 'setup_intent',
      status: 'succeeded',
      customer: customer.id,
      usage: 'off_session',
    });
    const method = await stripe.paymentMethods.retrieve(String(intent.payment_method));
    expect(method.customer).toBe(customer.id);
    expect(method.card?.brand).toBe('mastercard');
    // Stripe leaves the defaults alone: the integration sets invoice_settings.default_payment_method.
    const after = (await stripe.customers.retrieve(customer.id)) as Stripe.Customer;
    expect(after.invoice_settings.default_payment_method).toBeNull();
    const events = await stripe.events.list({ type: 'checkout.session.completed' });
    expect(events.data.map((event) => (event.data.object as Stripe.Checkout.Session).id)).toContain(session.id);
  });

  it('refuses line items, and a missing currency, in setup mode', async () => {
    const { stripe } = harness;
    const customer = await stripe.customers.create({ email: 'setup2@example.com' });
    const price = await stripe.prices.create({ currency: 'usd', unit_amount: 100, product_data: { name: 'x' } });
    await expect(
      stripe.checkout.sessions.create({
        mode: 'setup',
        currency: 'usd',
        customer: customer.id,
        line_items: [{ price: price.id, quantity: 1 }],
        success_url: 'https://app.example.com/ok',
      }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'line_items' });
    await expect(
      stripe.checkout.sessions.create({
        mode: 'setup',
        customer: customer.id,
        success_url: 'https://app.example.com/ok',
      }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'currency' });
  });
});
