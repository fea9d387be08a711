import type Stripe from 'stripe';
import { advanceClock, customerOnClock, monthlyPrice, startHarness, type Harness } from './support/emulator-harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness.emulator.close());

const START = Date.UTC(2026, 2, 1) / 1000;
const MIDDLE = START + 15 * 86_400;

async function subscribedThenCardSwapped(card: string) {
  const { stripe } = harness;
  const { customer, clock } = await customerOnClock(stripe, START);
  const basic = await monthlyPrice(stripe, { amount: 1000 });
  const premium = await monthlyPrice(stripe, { amount: 2000, name: 'Premium' });
  const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: basic.id }] });
  const newCard = await stripe.paymentMethods.attach(card, { customer: customer.id });
  await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: newCard.id } });
  await advanceClock(stripe, clock.id, MIDDLE);
  const updated = await stripe.subscriptions.update(subscription.id, {
    items: [{ id: subscription.items.data[0]?.id ?? '', price: premium.id }],
    proration_behavior: 'always_invoice',
    payment_behavior: 'pending_if_incomplete',
    expand: ['latest_invoice.payments.data.payment.payment_intent'],
  });
  const invoice = updated.latest_invoice as Stripe.Invoice;
  const paymentIntent = invoice.payments?.data[0]?.payment.payment_intent as Stripe.PaymentIntent;
  return { stripe, clock, basic, premium, subscription, updated, invoice, paymentIntent };
}

describe('payment_behavior pending_if_incomplete', () => {
  it('keeps the old price, records pending_update and leaves the invoice open when the card is declined', async () => {
    const { stripe, basic, premium, updated, invoice, paymentIntent, subscription } =
      await subscribedThenCardSwapped('pm_card_chargeDeclined');
    expect(updated.items.data[0]?.price.id).toBe(basic.id);
    expect(updated.pending_update?.subscription_items?.[0]?.price.id).toBe(premium.id);
    expect(updated.pending_update?.expires_at).toBe(MIDDLE + 23 * 3600);
    expect(invoice.status).toBe('open');
    expect(paymentIntent).toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: { code: 'card_declined', decline_code: 'generic_decline' },
    });
    expect((await stripe.subscriptions.retrieve(subscription.id)).items.data[0]?.price.id).toBe(basic.id);
  });

  it('holds the update while 3-D Secure is pending and applies it once authentication completes', async () => {
    const { stripe, basic, premium, updated, paymentIntent, subscription, invoice } = await subscribedThenCardSwapped(
      'pm_card_authenticationRequired',
    );
    expect(paymentIntent.status).toBe('requires_action');
    expect(paymentIntent.client_secret).toMatch(/^pi_.+_secret_/);
    expect(paymentIntent.next_action?.type).toBe('use_stripe_sdk');
    expect(updated.items.data[0]?.price.id).toBe(basic.id);

    await harness.emulator.control.completeAuthentication(paymentIntent.id);

    const after = await stripe.subscriptions.retrieve(subscription.id);
    expect(after.items.data[0]?.price.id).toBe(premium.id);
    expect(after.pending_update).toBeNull();
    expect((await stripe.invoices.retrieve(invoice.id)).status).toBe('paid');
    expect((await stripe.paymentIntents.retrieve(paymentIntent.id)).status).toBe('succeeded');
    const applied = await stripe.events.list({ type: 'customer.subscription.pending_update_applied' });
    expect(applied.data.some((event) => (event.data.object as Stripe.Subscription).id === subscription.id)).toBe(true);
  });

  it('drops the update after 23 hours with pending_update_expired', async () => {
    const { stripe, clock, basic, subscription, invoice } = await subscribedThenCardSwapped('pm_card_chargeDeclined');
    await advanceClock(stripe, clock.id, MIDDLE + 24 * 3600);
    const after = await stripe.subscriptions.retrieve(subscription.id);
    expect(after.pending_update).toBeNull();
    expect(after.items.data[0]?.price.id).toBe(basic.id);
    expect((await stripe.invoices.retrieve(invoice.id)).status).toBe('void');
    const expired = await stripe.events.list({ type: 'customer.subscription.pending_update_expired' });
    expect(expired.data.some((event) => (event.data.object as Stripe.Subscription).id === subscription.id)).toBe(true);
  });

  it('refuses parameters pending updates do not support', async () => {
    const { stripe } = harness;
    const { customer } = await customerOnClock(stripe, START);
    const basic = await monthlyPrice(stripe, { amount: 1000 });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: basic.id }] });
    await expect(
      stripe.subscriptions.update(subscription.id, {
        payment_behavior: 'pending_if_incomplete',
        cancel_at_period_end: true,
      }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'cancel_at_period_end' });
  });

  // docs.stripe.com/billing/subscriptions/pending-updates-reference: `metadata` is a supported
  // parameter since API version 2026-05-27.dahlia (STRIPE.md).
  it('accepts metadata with pending_if_incomplete', async () => {
    const { stripe } = harness;
    const { customer } = await customerOnClock(stripe, START);
    const basic = await monthlyPrice(stripe, { amount: 1000 });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: basic.id }] });
    const updated = await stripe.subscriptions.update(subscription.id, {
      payment_behavior: 'pending_if_incomplete',
      metadata: { a: 'b' },
    });
    expect(updated.metadata).toEqual({ a: 'b' });
  });
});

describe('payment behaviours on create', () => {
  it('creates an incomplete subscription with an open invoice when the first payment is declined', async () => {
    const { stripe } = harness;
    const { customer } = await customerOnClock(stripe, START, 'pm_card_chargeCustomerFail');
    const price = await monthlyPrice(stripe, { amount: 1000 });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      expand: ['latest_invoice'],
    });
    expect(subscription.status).toBe('incomplete');
    expect(subscription.latest_invoice).toMatchObject({ status: 'open', attempt_count: 1 });
  });

  it('answers 402 and creates nothing with error_if_incomplete', async () => {
    const { stripe } = harness;
    const { customer } = await customerOnClock(stripe, START, 'pm_card_chargeDeclined');
    const price = await monthlyPrice(stripe, { amount: 1000 });
    await expect(
      stripe.subscriptions.create({
        customer: customer.id,
        items: [{ price: price.id }],
        payment_behavior: 'error_if_incomplete',
      }),
    ).rejects.toMatchObject({
      type: 'StripeCardError',
      statusCode: 402,
      code: 'card_declined',
      decline_code: 'generic_decline',
    });
    expect((await stripe.subscriptions.list({ customer: customer.id, status: 'all' })).data).toHaveLength(0);
  });

  it('leaves the first PaymentIntent for the client to confirm with default_incomplete', async () => {
    const { stripe } = harness;
    const { customer, paymentMethodId } = await customerOnClock(stripe, START);
    const price = await monthlyPrice(stripe, { amount: 1000 });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      payment_behavior: 'default_incomplete',
      expand: ['latest_invoice.confirmation_secret', 'latest_invoice.payments'],
    });
    const invoice = subscription.latest_invoice as Stripe.Invoice;
    expect(subscription.status).toBe('incomplete');
    expect(invoice.confirmation_secret?.client_secret).toMatch(/_secret_/);
    const paymentIntentId = invoice.payments?.data[0]?.payment.payment_intent as string;
    await stripe.paymentIntents.confirm(paymentIntentId, { payment_method: paymentMethodId });
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
  });
});
