import type Stripe from 'stripe';
import { advanceClock, customerOnClock, monthlyPrice, startHarness, type Harness } from './support/emulator-harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness.emulator.close());

const START = Date.UTC(2026, 2, 1) / 1000;
const MIDDLE = START + 15 * 86_400;

async function setup() {
  const { stripe } = harness;
  const { customer, clock } = await customerOnClock(stripe, START);
  const plan = await monthlyPrice(stripe, { amount: 1000, name: 'Plan' });
  const extra = await monthlyPrice(stripe, { amount: 2000, name: 'Extra' });
  const training = await stripe.prices.create({
    currency: 'usd',
    unit_amount: 10_000,
    product_data: { name: 'Training' },
  });
  const coupon = await stripe.coupons.create({
    percent_off: 20,
    duration: 'once',
    applies_to: { products: [extra.product as string, training.product as string] },
  });
  // Itemized proration discounts, as Tierlift asks: proration lines show each discount's amount
  // (docs.stripe.com/changelog/clover/2025-09-30/itemize-proration-discount-amounts).
  const subscription = await stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: plan.id }],
    billing_mode: { type: 'flexible', flexible: { proration_discounts: 'itemized' } },
  });
  await advanceClock(stripe, clock.id, MIDDLE);
  return { stripe, customer, plan, extra, training, coupon, subscription };
}

describe('coupons restricted with applies_to', () => {
  it('discount only the lines of their products, even as an invoice-level discount', async () => {
    const { stripe, customer, plan, extra, training, coupon } = await setup();
    const preview = await stripe.invoices.createPreview({
      customer: customer.id,
      currency: 'usd',
      subscription_details: { items: [{ price: plan.id }, { price: extra.id }] },
      invoice_items: [{ price: training.id }],
      discounts: [{ coupon: coupon.id }],
    });
    const discountOf = (price: string) =>
      preview.lines.data
        .filter((line) => line.pricing?.price_details?.price === price)
        .flatMap((line) => line.discount_amounts ?? [])
        .reduce((sum, entry) => sum + entry.amount, 0);
    expect(discountOf(plan.id)).toBe(0);
    expect(discountOf(extra.id)).toBe(400);
    expect(discountOf(training.id)).toBe(2000);
    expect(preview.amount_due).toBe(1000 + 1600 + 8000);
  });

  it('apply to the matching line items of a Checkout Session only', async () => {
    const { stripe, customer, plan, training, coupon } = await setup();
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      customer: customer.id,
      line_items: [
        { price: plan.id, quantity: 1 },
        { price: training.id, quantity: 1 },
      ],
      discounts: [{ coupon: coupon.id }],
      success_url: 'https://example.com',
    });
    expect(session.amount_total).toBe(1000 + 8000);
    expect(session.total_details?.amount_discount).toBe(2000);
  });
});

describe('pending updates and item-level discounts', () => {
  it('accept discounts on items[] and keep them on the pending update until the invoice is paid', async () => {
    const { stripe, subscription, extra, coupon } = await setup();
    const declined = await stripe.paymentMethods.attach('pm_card_chargeDeclined', {
      customer: subscription.customer as string,
    });
    await stripe.customers.update(subscription.customer as string, {
      invoice_settings: { default_payment_method: declined.id },
    });
    const updated = await stripe.subscriptions.update(subscription.id, {
      items: [{ price: extra.id, discounts: [{ coupon: coupon.id }] }],
      proration_behavior: 'always_invoice',
      payment_behavior: 'pending_if_incomplete',
      expand: ['latest_invoice'],
    });
    expect(updated.items.data).toHaveLength(1);
    expect(updated.pending_update?.subscription_items?.map((item) => item.price.id)).toContain(extra.id);
    const invoice = updated.latest_invoice as Stripe.Invoice;
    const extraLine = invoice.lines.data.find((line) => line.pricing?.price_details?.price === extra.id);
    expect(extraLine?.discount_amounts?.[0]?.amount).toBeGreaterThan(0);
  });

  it('refuse discounts on add_invoice_items[] with pending_if_incomplete, changing nothing', async () => {
    const { stripe, subscription, training, coupon } = await setup();
    const invoicesBefore = (await stripe.invoices.list({ customer: subscription.customer as string })).data.length;
    await expect(
      stripe.subscriptions.update(subscription.id, {
        add_invoice_items: [{ price: training.id, discounts: [{ coupon: coupon.id }] }],
        proration_behavior: 'always_invoice',
        payment_behavior: 'pending_if_incomplete',
      }),
    ).rejects.toMatchObject({ type: 'StripeInvalidRequestError', param: 'add_invoice_items[0][discounts]' });
    expect((await stripe.invoices.list({ customer: subscription.customer as string })).data).toHaveLength(
      invoicesBefore,
    );
  });

  it("put a subscription's pending invoice items, with their own discounts, on the update's invoice", async () => {
    const { stripe, customer, subscription, extra, training, coupon } = await setup();
    await stripe.invoiceItems.create({
      customer: customer.id,
      subscription: subscription.id,
      pricing: { price: training.id },
      discounts: [{ coupon: coupon.id }],
    });
    const updated = await stripe.subscriptions.update(subscription.id, {
      items: [{ price: extra.id }],
      proration_behavior: 'always_invoice',
      payment_behavior: 'pending_if_incomplete',
      expand: ['latest_invoice'],
    });
    const invoice = updated.latest_invoice as Stripe.Invoice;
    const trainingLine = invoice.lines.data.find((line) => line.pricing?.price_details?.price === training.id);
    expect(trainingLine?.discount_amounts?.[0]?.amount).toBe(2000);
    expect(invoice.status).toBe('paid');
  });
});
