import type Stripe from 'stripe';
import { advanceClock, customerOnClock, monthlyPrice, startHarness, type Harness } from './support/emulator-harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness.emulator.close());

const START = Date.UTC(2026, 2, 1) / 1000;
const MIDDLE = START + 15 * 86_400;

const post = (url: string, body = '') =>
  fetch(url, {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    redirect: 'manual',
  });

type Summary = Array<[number, number[]]>;
const prorations = (invoice: Stripe.Invoice): Summary =>
  invoice.lines.data
    .filter((line) => line.parent?.subscription_item_details?.proration)
    .map((line) => [line.amount, (line.discount_amounts ?? []).map((entry) => entry.amount)]);

// docs.stripe.com/billing/subscriptions/billing-mode: at 2026-10-28.endive flexible is the default
// of subscriptions, Checkout Sessions, invoice previews and schedules; classic only when asked; a
// subscription never migrates from flexible back to classic.
describe('billing mode', () => {
  it('is flexible by default and classic only when asked', async () => {
    const { stripe } = harness;
    const { customer } = await customerOnClock(stripe, START);
    const price = await monthlyPrice(stripe, { amount: 1000 });
    const flexible = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    expect(flexible.billing_mode).toMatchObject({ type: 'flexible', flexible: { proration_discounts: 'included' } });
    const other = await customerOnClock(stripe, START);
    const classic = await stripe.subscriptions.create({
      customer: other.customer.id,
      items: [{ price: price.id }],
      billing_mode: { type: 'classic' },
    });
    expect(classic.billing_mode).toMatchObject({ type: 'classic', flexible: null });
  });

  it('migrates classic to flexible, never back', async () => {
    const { stripe } = harness;
    const { customer } = await customerOnClock(stripe, START);
    const price = await monthlyPrice(stripe, { amount: 1000 });
    const classic = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      billing_mode: { type: 'classic' },
    });
    const migrated = await stripe.subscriptions.migrate(classic.id, { billing_mode: { type: 'flexible' } });
    expect(migrated.billing_mode.type).toBe('flexible');
    await expect(
      stripe.subscriptions.migrate(classic.id, { billing_mode: { type: 'classic' } as never }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'billing_mode[type]' });
    await expect(
      stripe.invoices.createPreview({
        subscription: classic.id,
        subscription_details: { billing_mode: { type: 'classic' } },
      }),
    ).rejects.toMatchObject({ statusCode: 400 });
  });

  it('gives a schedule made from a subscription that subscription’s mode', async () => {
    const { stripe } = harness;
    const { customer } = await customerOnClock(stripe, START);
    const price = await monthlyPrice(stripe, { amount: 1000 });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const schedule = await stripe.subscriptionSchedules.create({ from_subscription: subscription.id });
    expect(schedule.billing_mode.type).toBe('flexible');
  });

  it('makes Checkout subscriptions flexible unless subscription_data asks for classic', async () => {
    const { stripe } = harness;
    const price = await monthlyPrice(stripe, { amount: 1900 });
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: price.id, quantity: 1 }],
      customer_email: 'mode@example.com',
      success_url: 'https://app.example.com/done',
    });
    // Checkout.Session.UiMode at this version: elements | embedded_page | form | hosted_page.
    expect(session.ui_mode).toBe('hosted_page');
    await post(`${session.url}/pay`, 'card=pm_card_visa');
    const completed = await stripe.checkout.sessions.retrieve(session.id, { expand: ['subscription'] });
    expect((completed.subscription as Stripe.Subscription).billing_mode.type).toBe('flexible');
  });
});

// docs.stripe.com/billing/subscriptions/billing-mode/compare ("Credit proration calculations"): classic
// credits the item's current price with its discounts as they are now; flexible credits the share of
// the amount originally debited for the item, after its discounts.
describe('credit prorations', () => {
  async function discountedOnce(billingMode: Stripe.SubscriptionCreateParams.BillingMode) {
    const { stripe } = harness;
    const { customer, clock } = await customerOnClock(stripe, START);
    const plan = await monthlyPrice(stripe, { amount: 2000, name: 'Plan' });
    const addOn = await monthlyPrice(stripe, { amount: 1000, name: 'Seats' });
    const coupon = await stripe.coupons.create({ percent_off: 20, duration: 'once' });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: plan.id }, { price: addOn.id, discounts: [{ coupon: coupon.id }] }],
      billing_mode: billingMode,
      expand: ['latest_invoice'],
    });
    expect((subscription.latest_invoice as Stripe.Invoice).total).toBe(2000 + 800);
    await advanceClock(stripe, clock.id, MIDDLE);
    const addOnItem = subscription.items.data[1]?.id ?? '';
    const change = {
      items: [{ id: addOnItem, deleted: true }],
      proration_behavior: 'always_invoice' as const,
      proration_date: MIDDLE,
    };
    const preview = await stripe.invoices.createPreview({
      subscription: subscription.id,
      subscription_details: change,
    });
    const updated = await stripe.subscriptions.update(subscription.id, { ...change, expand: ['latest_invoice'] });
    const invoice = updated.latest_invoice as Stripe.Invoice;
    expect(prorations(preview)).toEqual(prorations(invoice));
    return { invoice, share: (START + 31 * 86_400 - MIDDLE) / (31 * 86_400) };
  }

  it('classic: credits today’s price with the discounts that apply today (a spent `once` coupon no longer does)', async () => {
    const { invoice, share } = await discountedOnce({ type: 'classic' });
    expect(prorations(invoice)).toEqual([[-Math.round(1000 * share), []]]);
  });

  it('flexible (itemized): the credit mirrors what was charged, discount included', async () => {
    const { invoice, share } = await discountedOnce({
      type: 'flexible',
      flexible: { proration_discounts: 'itemized' },
    });
    expect(prorations(invoice)).toEqual([[-Math.round(1000 * share), [-Math.round(200 * share)]]]);
    expect(invoice.total).toBe(-Math.round(1000 * share) + Math.round(200 * share));
  });

  it('flexible (included, the default): the credit is the net share, discount amounts 0', async () => {
    const { invoice, share } = await discountedOnce({ type: 'flexible' });
    expect(prorations(invoice)).toEqual([[-Math.round(800 * share), [0]]]);
  });
});

describe('discounts', () => {
  // docs.stripe.com/api/discounts/object: `source.coupon` is an expandable field.
  it('answer source.coupon as an id unless it is expanded', async () => {
    const { stripe } = harness;
    const { customer } = await customerOnClock(stripe, START);
    const price = await monthlyPrice(stripe, { amount: 1000 });
    const coupon = await stripe.coupons.create({ percent_off: 10, duration: 'forever' });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      discounts: [{ coupon: coupon.id }],
      expand: ['discounts'],
    });
    const discount = subscription.discounts[0] as Stripe.Discount;
    expect(discount.source.coupon).toBe(coupon.id);
    const expanded = await stripe.subscriptions.retrieve(subscription.id, {
      expand: ['discounts.source.coupon'],
    });
    expect(((expanded.discounts[0] as Stripe.Discount).source.coupon as Stripe.Coupon).percent_off).toBe(10);
  });
});
