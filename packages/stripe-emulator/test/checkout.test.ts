import type Stripe from 'stripe';
import { monthlyPrice, startHarness, type Harness } from './support/emulator-harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness.emulator.close());

async function session(mode: 'subscription' | 'payment'): Promise<Stripe.Checkout.Session> {
  const { stripe } = harness;
  const price =
    mode === 'subscription'
      ? await monthlyPrice(stripe, { amount: 1900 })
      : await stripe.prices.create({ currency: 'usd', unit_amount: 4900, product_data: { name: 'Lifetime add-on' } });
  return stripe.checkout.sessions.create({
    mode,
    line_items: [{ price: price.id, quantity: 1 }],
    customer_email: 'checkout@example.com',
    success_url: 'https://app.example.com/done?session={CHECKOUT_SESSION_ID}',
    cancel_url: 'https://app.example.com/cancelled',
    client_reference_id: 'account-42',
    metadata: { offer: 'upgrade' },
    ...(mode === 'subscription' ? { subscription_data: { metadata: { account: '42' } } } : {}),
  });
}

const post = (url: string, body = '') =>
  fetch(url, {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    redirect: 'manual',
  });

describe('Checkout Sessions', () => {
  it('serves a page with Pay and Cancel', async () => {
    const created = await session('subscription');
    expect(created.url).toBe(`${harness.emulator.url}/checkout/${created.id}`);
    const page = await (await fetch(created.url ?? '')).text();
    expect(page).toContain('Pay');
    expect(page).toContain('Cancel');
    expect(page).toContain('$19.00');
  });

  it('paying creates the subscription, redirects to success_url and emits checkout.session.completed', async () => {
    const { stripe } = harness;
    const created = await session('subscription');
    const response = await post(`${created.url}/pay`, 'card=pm_card_visa');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`https://app.example.com/done?session=${created.id}`);
    const completed = await stripe.checkout.sessions.retrieve(created.id, { expand: ['subscription'] });
    expect(completed).toMatchObject({ status: 'complete', payment_status: 'paid', client_reference_id: 'account-42' });
    const subscription = completed.subscription as Stripe.Subscription;
    expect(subscription).toMatchObject({ status: 'active', metadata: { account: '42' } });
    const events = await stripe.events.list({ type: 'checkout.session.completed' });
    expect(events.data.map((event) => (event.data.object as Stripe.Checkout.Session).id)).toContain(created.id);
  });

  it('takes a one-off payment in payment mode', async () => {
    const { stripe } = harness;
    const created = await session('payment');
    await post(`${created.url}/pay`, 'card=pm_card_authenticationRequired');
    const completed = await stripe.checkout.sessions.retrieve(created.id, { expand: ['payment_intent'] });
    expect(completed.payment_intent).toMatchObject({ status: 'succeeded', amount: 4900 });
  });

  it('stays open and creates nothing when the card is declined', async () => {
    const created = await session('subscription');
    const subscriptionsBefore = (await harness.stripe.subscriptions.list({ status: 'all', limit: 100 })).data.length;
    const response = await post(`${created.url}/pay`, 'card=pm_card_chargeDeclined');
    expect(response.status).toBe(402);
    expect(await response.text()).toContain('Your card was declined.');
    expect((await harness.stripe.checkout.sessions.retrieve(created.id)).status).toBe('open');
    expect((await harness.stripe.subscriptions.list({ status: 'all', limit: 100 })).data).toHaveLength(
      subscriptionsBefore,
    );
  });

  it('applies a coupon given to the session to the subscription it creates', async () => {
    const { stripe } = harness;
    const price = await monthlyPrice(stripe, { amount: 2000 });
    const coupon = await stripe.coupons.create({ percent_off: 50, duration: 'once' });
    const created = await stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: price.id, quantity: 1 }],
      discounts: [{ coupon: coupon.id }],
      success_url: 'https://app.example.com/done',
    });
    expect(created).toMatchObject({ amount_subtotal: 2000, amount_total: 1000 });
    await post(`${created.url}/pay`, 'card=pm_card_visa');
    const completed = await stripe.checkout.sessions.retrieve(created.id, { expand: ['invoice'] });
    expect(completed.invoice).toMatchObject({ total: 1000, amount_paid: 1000 });
  });

  it('cancelling expires the session and redirects to cancel_url', async () => {
    const { stripe } = harness;
    const created = await session('subscription');
    const response = await post(`${created.url}/cancel`);
    expect(response.headers.get('location')).toBe('https://app.example.com/cancelled');
    expect((await stripe.checkout.sessions.retrieve(created.id)).status).toBe('expired');
    expect((await stripe.events.list({ type: 'checkout.session.expired' })).data.length).toBeGreaterThan(0);
  });
});
