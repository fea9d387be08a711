import type Stripe from 'stripe';
import { decodeForm } from '../src/http/form-decoder';
import { customerOnClock, monthlyPrice, startHarness, type Harness } from './support/emulator-harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness.emulator.close());

describe('form decoding', () => {
  it('turns bracketed keys into nested objects and arrays', () => {
    const body =
      'items[0][price]=price_a&items[1][price]=price_b&items[1][quantity]=2&metadata[plan]=pro&expand[]=customer&expand[]=latest_invoice&currency_options[jpy][unit_amount]=1500&name=A+B%26C';
    expect(decodeForm(body)).toEqual({
      items: [{ price: 'price_a' }, { price: 'price_b', quantity: '2' }],
      metadata: { plan: 'pro' },
      expand: ['customer', 'latest_invoice'],
      currency_options: { jpy: { unit_amount: '1500' } },
      name: 'A B&C',
    });
  });
});

describe('lists', () => {
  it('pages newest first with limit, starting_after and ending_before', async () => {
    const { stripe } = harness;
    const product = await stripe.products.create({ name: 'Paged' });
    const created: string[] = [];
    for (let index = 0; index < 5; index += 1)
      created.push((await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 100 + index })).id);
    const newestFirst = [...created].reverse();
    const first = await stripe.prices.list({ product: product.id, limit: 2 });
    expect(first).toMatchObject({ object: 'list', has_more: true, url: '/v1/prices' });
    expect(first.data.map((price) => price.id)).toEqual(newestFirst.slice(0, 2));
    const second = await stripe.prices.list({ product: product.id, limit: 2, starting_after: first.data[1]?.id });
    expect(second.data.map((price) => price.id)).toEqual(newestFirst.slice(2, 4));
    const back = await stripe.prices.list({ product: product.id, limit: 2, ending_before: second.data[0]?.id });
    expect(back.data.map((price) => price.id)).toEqual(newestFirst.slice(0, 2));
    const all: string[] = [];
    for await (const price of stripe.prices.list({ product: product.id, limit: 2 })) all.push(price.id);
    expect(all).toEqual(newestFirst);
  });

  it('refuses a limit above 100', async () => {
    await expect(harness.stripe.customers.list({ limit: 101 })).rejects.toMatchObject({
      statusCode: 400,
      param: 'limit',
    });
  });

  it('finds prices by lookup key and moves a key with transfer_lookup_key', async () => {
    const { stripe } = harness;
    const product = await stripe.products.create({ name: 'Lookup' });
    const old = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 1000,
      lookup_key: 'pro_monthly_lk',
    });
    await expect(
      stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 1200, lookup_key: 'pro_monthly_lk' }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'lookup_key' });
    const replacement = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 1200,
      lookup_key: 'pro_monthly_lk',
      transfer_lookup_key: true,
    });
    const found = await stripe.prices.list({ lookup_keys: ['pro_monthly_lk'] });
    expect(found.data.map((price) => price.id)).toEqual([replacement.id]);
    expect((await stripe.prices.retrieve(old.id)).lookup_key).toBeNull();
    const inactive = await stripe.prices.update(old.id, { active: false });
    expect((await stripe.prices.list({ product: product.id, active: false })).data.map((price) => price.id)).toEqual([
      inactive.id,
    ]);
  });
});

describe('expand', () => {
  it('expands latest_invoice, its payments and their PaymentIntent, customer and items.data.price.product', async () => {
    const { stripe } = harness;
    const { customer } = await customerOnClock(stripe, Date.UTC(2026, 0, 1) / 1000);
    const price = await monthlyPrice(stripe, { amount: 1000, name: 'Expandable' });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      expand: ['customer', 'latest_invoice.payments.data.payment.payment_intent', 'items.data.price.product'],
    });
    expect((subscription.customer as Stripe.Customer).email).toBe('buyer@example.com');
    const invoice = subscription.latest_invoice as Stripe.Invoice;
    const paymentIntent = invoice.payments?.data[0]?.payment.payment_intent as Stripe.PaymentIntent;
    expect(paymentIntent).toMatchObject({ object: 'payment_intent', status: 'succeeded', amount: 1000 });
    expect((subscription.items.data[0]?.price.product as Stripe.Product).name).toBe('Expandable');
    const charge = await stripe.charges.retrieve(paymentIntent.latest_charge as string, { expand: ['payment_intent'] });
    expect((charge.payment_intent as Stripe.PaymentIntent).id).toBe(paymentIntent.id);
  });

  it('expands inside list entries with data.*', async () => {
    const { stripe } = harness;
    const { customer } = await customerOnClock(stripe, Date.UTC(2026, 0, 1) / 1000);
    const price = await monthlyPrice(stripe, { amount: 500 });
    await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const list = await stripe.subscriptions.list({ customer: customer.id, expand: ['data.latest_invoice'] });
    expect((list.data[0]?.latest_invoice as Stripe.Invoice).object).toBe('invoice');
  });

  it('lists invoice payments by invoice and by PaymentIntent', async () => {
    const { stripe } = harness;
    const { customer } = await customerOnClock(stripe, Date.UTC(2026, 0, 1) / 1000);
    const price = await monthlyPrice(stripe, { amount: 700 });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const payments = await stripe.invoicePayments.list({ invoice: subscription.latest_invoice as string });
    expect(payments.data).toHaveLength(1);
    expect(payments.data[0]).toMatchObject({
      object: 'invoice_payment',
      status: 'paid',
      amount_paid: 700,
      is_default: true,
    });
    const paymentIntentId = payments.data[0]?.payment.payment_intent as string;
    const byIntent = await stripe.invoicePayments.list({
      payment: { type: 'payment_intent', payment_intent: paymentIntentId },
    });
    expect(byIntent.data.map((payment) => payment.invoice)).toEqual([subscription.latest_invoice]);
  });

  it('leaves includable fields out until asked for', async () => {
    const { stripe } = harness;
    const { customer } = await customerOnClock(stripe, Date.UTC(2026, 0, 1) / 1000);
    const price = await monthlyPrice(stripe, { amount: 500 });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const invoice = await stripe.invoices.retrieve(subscription.latest_invoice as string);
    expect(invoice.payments).toBeUndefined();
    expect(invoice.parent?.subscription_details?.subscription).toBe(subscription.id);
  });
});

describe('resources', () => {
  it('keeps created, livemode false, metadata and prefixed ids', async () => {
    const { stripe } = harness;
    const customer = await stripe.customers.create({ metadata: { account: 'acct-1' } });
    expect(customer).toMatchObject({ object: 'customer', livemode: false, metadata: { account: 'acct-1' } });
    expect(customer.id).toMatch(/^cus_/);
    const { customer: payer } = await customerOnClock(stripe, Date.UTC(2026, 0, 1) / 1000);
    const price = await monthlyPrice(stripe, { amount: 100 });
    const subscription = await stripe.subscriptions.create({
      customer: payer.id,
      items: [{ price: price.id }],
      expand: ['latest_invoice'],
    });
    expect((subscription.latest_invoice as Stripe.Invoice).number).toBe(`${payer.invoice_prefix}-0001`);
    expect(typeof customer.created).toBe('number');
    const updated = await stripe.customers.update(customer.id, { metadata: { plan: 'pro' } });
    expect(updated.metadata).toEqual({ account: 'acct-1', plan: 'pro' });
    expect(await stripe.customers.del(customer.id)).toMatchObject({ id: customer.id, deleted: true });
    expect(await stripe.customers.retrieve(customer.id)).toMatchObject({ id: customer.id, deleted: true });
  });

  it('merges metadata on update, removing keys posted empty', async () => {
    const { stripe } = harness;
    const product = await stripe.products.create({ name: 'Meta', metadata: { tier: 'pro', legacy: 'yes' } });
    const updated = await stripe.products.update(product.id, { metadata: { legacy: '', region: 'eu' } });
    expect(updated.metadata).toEqual({ tier: 'pro', region: 'eu' });
    expect((await stripe.products.update(product.id, { metadata: '' })).metadata).toEqual({});
  });

  it('applies a percent-off coupon to a subscription invoice through a promotion code', async () => {
    const { stripe } = harness;
    const { customer } = await customerOnClock(stripe, Date.UTC(2026, 0, 1) / 1000);
    const price = await monthlyPrice(stripe, { amount: 2000 });
    const coupon = await stripe.coupons.create({ percent_off: 25, duration: 'forever' });
    const promotion = await stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: 'SAVE25',
    });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      discounts: [{ promotion_code: promotion.id }],
      expand: ['latest_invoice'],
    });
    expect(subscription.latest_invoice).toMatchObject({ subtotal: 2000, total: 1500, amount_paid: 1500 });
    expect((await stripe.promotionCodes.retrieve(promotion.id)).times_redeemed).toBe(1);
  });

  it('adds one-time invoice items to the first invoice', async () => {
    const { stripe } = harness;
    const { customer } = await customerOnClock(stripe, Date.UTC(2026, 0, 1) / 1000);
    const price = await monthlyPrice(stripe, { amount: 2000 });
    const setup = await stripe.prices.create({
      currency: 'usd',
      unit_amount: 500,
      product_data: { name: 'Setup fee' },
    });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      add_invoice_items: [{ price: setup.id }],
      expand: ['latest_invoice'],
    });
    const invoice = subscription.latest_invoice as Stripe.Invoice;
    expect(invoice.lines.data.map((line) => [line.description, line.amount])).toEqual([
      ['Setup fee', 500],
      ['1 × Pro (at $20.00 / month)', 2000],
    ]);
    expect(invoice.total).toBe(2500);
  });
});
