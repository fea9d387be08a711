import type Stripe from 'stripe';
import { advanceClock, customerOnClock, monthlyPrice, startHarness, type Harness } from './support/emulator-harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness.emulator.close());

const START = Date.UTC(2026, 5, 1) / 1000;
const MIDDLE = START + 15 * 86_400;
const lineSummary = (invoice: Stripe.Invoice) =>
  invoice.lines.data.map((line) => [line.amount, line.discount_amounts?.map((entry) => entry.amount) ?? []]);

describe('discounts', () => {
  it('discounts only the bundled item it is attached to', async () => {
    const { stripe } = harness;
    const { customer } = await customerOnClock(stripe, START);
    const pro = await monthlyPrice(stripe, { amount: 2000 });
    const addOn = await monthlyPrice(stripe, { amount: 1000, name: 'Analytics' });
    const bundle = await stripe.coupons.create({ id: 'bundle-20', percent_off: 20, duration: 'forever' });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: pro.id }, { price: addOn.id, discounts: [{ coupon: bundle.id }] }],
      expand: ['latest_invoice'],
    });
    const invoice = subscription.latest_invoice as Stripe.Invoice;
    expect(lineSummary(invoice)).toEqual([
      [2000, []],
      [1000, [200]],
    ]);
    expect(invoice).toMatchObject({ subtotal: 3000, total: 2800, amount_paid: 2800 });
    expect(subscription.items.data[1]?.discounts).toHaveLength(1);
  });

  it('discounts a one-time item added with its own discount', async () => {
    const { stripe } = harness;
    const { customer } = await customerOnClock(stripe, START);
    const pro = await monthlyPrice(stripe, { amount: 2000 });
    const setup = await stripe.prices.create({
      currency: 'usd',
      unit_amount: 5000,
      product_data: { name: 'Onboarding' },
    });
    const half = await stripe.coupons.create({ percent_off: 50, duration: 'once' });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: pro.id }],
      add_invoice_items: [{ price: setup.id, discounts: [{ coupon: half.id }] }],
      expand: ['latest_invoice'],
    });
    expect((subscription.latest_invoice as Stripe.Invoice).total).toBe(2000 + 2500);
  });

  it('prorates a discounted item with its discount and previews it to the minor unit', async () => {
    const { stripe } = harness;
    const { customer, clock } = await customerOnClock(stripe, START);
    const pro = await monthlyPrice(stripe, { amount: 2000 });
    const addOn = await monthlyPrice(stripe, { amount: 1000, name: 'Analytics' });
    const bundle = await stripe.coupons.create({ percent_off: 20, duration: 'forever' });
    // Flexible with itemized proration discounts: each proration line shows its gross amount and
    // the discount's amount (docs.stripe.com/changelog/clover/2025-09-30/itemize-proration-discount-amounts).
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: pro.id }, { price: addOn.id, discounts: [{ coupon: bundle.id }] }],
      billing_mode: { type: 'flexible', flexible: { proration_discounts: 'itemized' } },
    });
    await advanceClock(stripe, clock.id, MIDDLE);
    const addOnItem = subscription.items.data[1]?.id ?? '';
    const change = {
      items: [{ id: addOnItem, quantity: 2 }],
      proration_behavior: 'always_invoice' as const,
      proration_date: MIDDLE,
    };
    const eventsBefore = (await stripe.events.list({ limit: 100 })).data.length;
    const preview = await stripe.invoices.createPreview({
      subscription: subscription.id,
      subscription_details: change,
    });
    expect((await stripe.events.list({ limit: 100 })).data.length).toBe(eventsBefore);
    const updated = await stripe.subscriptions.update(subscription.id, { ...change, expand: ['latest_invoice'] });
    const invoice = updated.latest_invoice as Stripe.Invoice;
    expect(lineSummary(invoice)).toEqual([
      [-500, [-100]],
      [1000, [200]],
    ]);
    expect(invoice.total).toBe(400);
    expect(lineSummary(preview)).toEqual(lineSummary(invoice));
    expect(preview.total).toBe(invoice.total);
  });

  it('applies a once coupon to the first invoice only and a repeating one for its months', async () => {
    const { stripe } = harness;
    const { customer, clock } = await customerOnClock(stripe, START);
    const pro = await monthlyPrice(stripe, { amount: 2000 });
    const once = await stripe.coupons.create({ amount_off: 500, currency: 'usd', duration: 'once' });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: pro.id }],
      discounts: [{ coupon: once.id }],
      expand: ['latest_invoice'],
    });
    expect((subscription.latest_invoice as Stripe.Invoice).total).toBe(1500);
    await advanceClock(stripe, clock.id, START + 31 * 86_400);
    const renewal = (await stripe.invoices.list({ subscription: subscription.id, limit: 1 })).data[0];
    expect(renewal?.total).toBe(2000);
  });
});
