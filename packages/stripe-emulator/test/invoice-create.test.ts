import type Stripe from 'stripe';
import { customerOnClock, startHarness, type Harness } from './support/emulator-harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness.emulator.close());

const NOW = Date.UTC(2026, 5, 1) / 1000;

async function oneTimePrice(stripe: Stripe, amount: number, currency = 'usd'): Promise<Stripe.Price> {
  const product = await stripe.products.create({ name: 'Training' });
  return stripe.prices.create({ product: product.id, currency, unit_amount: amount });
}

describe('POST /v1/invoices', () => {
  it('pulls in pending invoice items with pending_invoice_items_behavior=include, equal to the preview, and pay charges it', async () => {
    const { stripe } = harness;
    const { customer } = await customerOnClock(stripe, NOW);
    const price = await oneTimePrice(stripe, 29900);
    const preview = await stripe.invoices.createPreview({
      customer: customer.id,
      invoice_items: [{ price: price.id }],
    });
    await stripe.invoiceItems.create({ customer: customer.id, pricing: { price: price.id } });
    const draft = await stripe.invoices.create({
      customer: customer.id,
      pending_invoice_items_behavior: 'include',
      auto_advance: false,
      metadata: { order: '7' },
    });
    expect(draft).toMatchObject({ status: 'draft', total: 29900, auto_advance: false, metadata: { order: '7' } });
    expect(draft.total).toBe(preview.total);
    const paid = await stripe.invoices.pay(draft.id, { expand: ['payments.data.payment.payment_intent'] });
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 29900 });
    const intent = paid.payments?.data[0]?.payment.payment_intent as Stripe.PaymentIntent;
    expect(intent).toMatchObject({ status: 'succeeded', amount: 29900 });
    const pending = await stripe.invoiceItems.list({ customer: customer.id, pending: true });
    expect(pending.data).toHaveLength(0);
  });

  it('leaves pending items alone by default (exclude)', async () => {
    const { stripe } = harness;
    const { customer } = await customerOnClock(stripe, NOW);
    const price = await oneTimePrice(stripe, 14900);
    await stripe.invoiceItems.create({ customer: customer.id, pricing: { price: price.id } });
    const draft = await stripe.invoices.create({ customer: customer.id });
    expect(draft).toMatchObject({ status: 'draft', total: 0, lines: { data: [] } });
    const pending = await stripe.invoiceItems.list({ customer: customer.id, pending: true });
    expect(pending.data).toHaveLength(1);
  });

  it('refuses an unknown customer', async () => {
    await expect(harness.stripe.invoices.create({ customer: 'cus_missing' })).rejects.toMatchObject({
      code: 'resource_missing',
      param: 'customer',
    });
  });
});
