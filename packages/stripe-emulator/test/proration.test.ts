import type Stripe from 'stripe';
import { advanceClock, customerOnClock, monthlyPrice, startHarness, type Harness } from './support/emulator-harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness.emulator.close());

const PERIOD_START = Date.UTC(2026, 0, 1) / 1000;
const PERIOD_END = Date.UTC(2026, 1, 1) / 1000;
const MIDDLE = PERIOD_START + (PERIOD_END - PERIOD_START) / 2;

function comparable(invoice: Stripe.Invoice) {
  return {
    total: invoice.total,
    subtotal: invoice.subtotal,
    amount_due: invoice.amount_due,
    lines: invoice.lines.data.map((line) => ({
      amount: line.amount,
      description: line.description,
      period: line.period,
      proration: line.parent?.subscription_item_details?.proration ?? line.parent?.invoice_item_details?.proration,
      price: line.pricing?.price_details?.price,
    })),
  };
}

async function upgradeAtMiddle(currency: string, oldAmount: number, newAmount: number) {
  const { stripe } = harness;
  const { customer, clock } = await customerOnClock(stripe, PERIOD_START);
  const basic = await monthlyPrice(stripe, { amount: oldAmount, currency, name: 'Pro' });
  const premium = await monthlyPrice(stripe, { amount: newAmount, currency, name: 'Premium' });
  const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: basic.id }] });
  await advanceClock(stripe, clock.id, MIDDLE);
  const itemId = subscription.items.data[0]?.id ?? '';
  const change = {
    items: [{ id: itemId, price: premium.id }],
    proration_behavior: 'always_invoice' as const,
    proration_date: MIDDLE,
  };
  const preview = await stripe.invoices.createPreview({
    customer: customer.id,
    subscription: subscription.id,
    subscription_details: change,
  });
  const updated = await stripe.subscriptions.update(subscription.id, { ...change, expand: ['latest_invoice'] });
  return { preview, invoice: updated.latest_invoice as Stripe.Invoice, updated, premium };
}

describe("Stripe's documented proration example (10.00 → 20.00 at mid-period, always_invoice)", () => {
  it.each([
    { currency: 'usd', oldAmount: 1000, newAmount: 2000, credit: -500, debit: 1000 },
    { currency: 'jpy', oldAmount: 1000, newAmount: 2000, credit: -500, debit: 1000 },
    { currency: 'kwd', oldAmount: 10000, newAmount: 20000, credit: -5000, debit: 10000 },
  ])(
    'invoices the unused-time credit and remaining-time debit in $currency',
    async ({ currency, oldAmount, newAmount, credit, debit }) => {
      const { invoice, updated, premium } = await upgradeAtMiddle(currency, oldAmount, newAmount);
      expect(invoice.lines.data.map((line) => line.amount)).toEqual([credit, debit]);
      expect(invoice.lines.data[0]?.description).toBe('Unused time on Pro after 16 Jan 2026');
      expect(invoice.lines.data[1]?.description).toBe('Remaining time on Premium after 16 Jan 2026');
      expect(invoice.lines.data.every((line) => line.parent?.subscription_item_details?.proration === true)).toBe(true);
      expect(invoice.lines.data[0]?.period).toEqual({ start: MIDDLE, end: PERIOD_END });
      expect(invoice).toMatchObject({
        currency,
        total: credit + debit,
        amount_paid: credit + debit,
        status: 'paid',
        billing_reason: 'subscription_update',
      });
      expect(updated.items.data[0]?.price.id).toBe(premium.id);
    },
  );

  it.each(['usd', 'jpy', 'kwd'])('previews exactly the invoice the update then creates (%s)', async (currency) => {
    const amounts = currency === 'kwd' ? [10000, 20000] : [1000, 2000];
    const { preview, invoice } = await upgradeAtMiddle(currency, amounts[0] ?? 0, amounts[1] ?? 0);
    expect(comparable(preview)).toEqual(comparable(invoice));
  });

  it('previews the next renewal with the prorations waiting on it under create_prorations', async () => {
    const { stripe } = harness;
    const { customer, clock } = await customerOnClock(stripe, PERIOD_START);
    const basic = await monthlyPrice(stripe, { amount: 1000 });
    const premium = await monthlyPrice(stripe, { amount: 2000, name: 'Premium' });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: basic.id }] });
    await advanceClock(stripe, clock.id, MIDDLE);
    const change = { items: [{ id: subscription.items.data[0]?.id ?? '', price: premium.id }], proration_date: MIDDLE };
    const preview = await stripe.invoices.createPreview({
      subscription: subscription.id,
      subscription_details: change,
    });
    await stripe.subscriptions.update(subscription.id, change);
    await advanceClock(stripe, clock.id, PERIOD_END + 60);
    const renewal = (await stripe.invoices.list({ subscription: subscription.id, limit: 1 })).data[0] as Stripe.Invoice;
    expect(preview.lines.data.map((line) => line.amount)).toEqual([-500, 1000, 2000]);
    expect(renewal).toMatchObject({ billing_reason: 'subscription_cycle', total: 2500, status: 'paid' });
    expect(renewal.lines.data.map((line) => line.amount)).toEqual([-500, 1000, 2000]);
  });

  it('turns a downgrade credit into customer balance, not a refund', async () => {
    const { stripe } = harness;
    const { customer, clock } = await customerOnClock(stripe, PERIOD_START);
    const premium = await monthlyPrice(stripe, { amount: 2000, name: 'Premium' });
    const basic = await monthlyPrice(stripe, { amount: 1000 });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: premium.id }] });
    await advanceClock(stripe, clock.id, MIDDLE);
    const updated = await stripe.subscriptions.update(subscription.id, {
      items: [{ id: subscription.items.data[0]?.id ?? '', price: basic.id }],
      proration_behavior: 'always_invoice',
      proration_date: MIDDLE,
      expand: ['latest_invoice'],
    });
    expect(updated.latest_invoice).toMatchObject({ total: -500, amount_due: 0, status: 'paid' });
    expect((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({ balance: -500 });
    expect((await stripe.refunds.list()).data).toHaveLength(0);

    await advanceClock(stripe, clock.id, PERIOD_END + 60);
    const renewal = (await stripe.invoices.list({ subscription: subscription.id, limit: 1 })).data[0];
    expect(renewal).toMatchObject({
      total: 1000,
      starting_balance: -500,
      ending_balance: 0,
      amount_due: 500,
      amount_paid: 500,
    });
  });

  it('resets the billing cycle anchor and invoices at once when the interval changes to yearly', async () => {
    const { stripe } = harness;
    const { customer, clock } = await customerOnClock(stripe, PERIOD_START);
    const monthly = await monthlyPrice(stripe, { amount: 1000 });
    const yearly = await monthlyPrice(stripe, { amount: 10000, interval: 'year', name: 'Pro yearly' });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: monthly.id }] });
    await advanceClock(stripe, clock.id, MIDDLE);
    const updated = await stripe.subscriptions.update(subscription.id, {
      items: [{ id: subscription.items.data[0]?.id ?? '', price: yearly.id }],
      proration_date: MIDDLE,
      expand: ['latest_invoice'],
    });
    expect(updated.billing_cycle_anchor).toBe(MIDDLE);
    expect(updated.items.data[0]).toMatchObject({
      current_period_start: MIDDLE,
      current_period_end: Date.UTC(2027, 0, 16, 12) / 1000,
    });
    expect((updated.latest_invoice as Stripe.Invoice).lines.data.map((line) => line.amount)).toEqual([-500, 10000]);
  });
});

describe('currency_options', () => {
  it('bills a subscription in the currency it asks for, from the price currency option (JPY, KWD)', async () => {
    const { stripe } = harness;
    const price = await monthlyPrice(stripe, { amount: 1000, currencyOptions: { jpy: 1500, kwd: 3250 } });
    for (const [currency, amount] of [
      ['jpy', 1500],
      ['kwd', 3250],
    ] as const) {
      const { customer } = await customerOnClock(stripe, PERIOD_START);
      const subscription = await stripe.subscriptions.create({
        customer: customer.id,
        currency,
        items: [{ price: price.id }],
        expand: ['latest_invoice'],
      });
      expect(subscription.currency).toBe(currency);
      expect(subscription.latest_invoice).toMatchObject({ currency, total: amount, amount_paid: amount });
    }
  });

  it('refuses a currency the price has no option for', async () => {
    const { stripe } = harness;
    const price = await monthlyPrice(stripe, { amount: 1000, currencyOptions: { jpy: 1500 } });
    const { customer } = await customerOnClock(stripe, PERIOD_START);
    await expect(
      stripe.subscriptions.create({ customer: customer.id, currency: 'eur', items: [{ price: price.id }] }),
    ).rejects.toMatchObject({ type: 'StripeInvalidRequestError', statusCode: 400 });
  });

  it('shows currency_options only when expanded', async () => {
    const { stripe } = harness;
    const price = await monthlyPrice(stripe, { amount: 1000, currencyOptions: { jpy: 1500 } });
    expect((await stripe.prices.retrieve(price.id)).currency_options).toBeUndefined();
    const expanded = await stripe.prices.retrieve(price.id, { expand: ['currency_options'] });
    expect(expanded.currency_options?.jpy?.unit_amount).toBe(1500);
    expect(expanded.currency_options?.usd?.unit_amount).toBe(1000);
  });
});
