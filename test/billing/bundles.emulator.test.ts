import request from 'supertest';
import { bundleChange } from '../../src/billing/bundle-change.rules';
import type { Stripe } from '../../src/stripe/stripe-client';
import { demoCatalog } from '../catalog/support/demo-catalog';
import { claim, DAY_MS } from '../guarantees/support/guarantee-harness';
import {
  DAY,
  MIDDLE,
  change,
  freeAccount,
  mirroredPlan,
  paidAccount,
  paidCharges,
  quote,
  startBillingHarness,
  stripeWrites,
  type BillingHarness,
  payCheckout as pay,
} from './support/billing-harness';

let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness();
});
afterAll(async () => h?.close());
let realNow: () => Date;
beforeEach(() => {
  realNow = h.services.clock.now;
});
afterEach(() => {
  h.services.clock.now = realNow;
});

const priceOf = (line: Stripe.InvoiceLineItem) => {
  const price = line.pricing?.price_details?.price;
  return typeof price === 'string' ? price : price?.id;
};
const discountOf = (line: Stripe.InvoiceLineItem) =>
  (line.discount_amounts ?? []).reduce((sum, entry) => sum + entry.amount, 0);

async function lookupKeyOf(priceId: string | undefined): Promise<string | null> {
  return priceId ? (await h.stripe.prices.retrieve(priceId)).lookup_key : null;
}

async function purchasesOf(accountId: string) {
  return h.db.dataSource.query('SELECT * FROM purchases WHERE account_id = $1', [accountId]);
}

describe('a subscribed account buys a bundle (one pay-first update)', () => {
  it('charges exactly the quote, discounting only the bundle’s training, and records one purchase', async () => {
    const account = await paidAccount(h, { currency: 'usd', plan: 'pro', interval: 'month' });
    const quoted = await quote(h, account.auth(), { bundle: 'premium_training' });
    expect(quoted.status).toBe(201);
    expect(quoted.body).toMatchObject({
      currency: 'usd',
      checkout_required: false,
      change: { kind: 'bundle', effective: 'now', plan: 'premium', interval: 'year' },
      bundle: { code: 'premium_training', percent_off: 20, duration: 'once', discount: 5980 },
      guarantee: { eligible: true, days: 30 },
    });
    const discountedLines = quoted.body.lines.filter((line: { discount: number }) => line.discount > 0);
    expect(discountedLines).toHaveLength(1);
    expect(discountedLines[0]).toMatchObject({ amount: 29900, discount: 5980 });

    await h.emulator.control.clearRequestLog();
    const changed = await change(h, account.auth(), quoted.body.id);
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ status: 'applied', amount_charged: quoted.body.amount_due_now });

    // One invoice, one charge, equal to the quote to the cent.
    const invoice = await h.stripe.invoices.retrieve(changed.body.invoice);
    expect(invoice.amount_paid).toBe(quoted.body.amount_due_now);
    const charges = await paidCharges(h, account.customerId);
    expect(charges.filter((charge) => charge.amount === quoted.body.amount_due_now)).toHaveLength(1);
    // The coupon reaches the training line only; the plan and the credit for pro are not discounted.
    for (const line of invoice.lines.data) {
      const key = await lookupKeyOf(priceOf(line));
      expect([key, discountOf(line)]).toEqual([key, key === 'tierlift_addon_training_agency_one_time' ? 5980 : 0]);
    }
    // What was sent: invoice item with the discount, then the update without add_invoice_items.
    const sent = await stripeWrites(h, (path) => path === '/v1/invoiceitems' || path.startsWith('/v1/subscriptions/'));
    expect(sent.map((entry) => entry.path)).toEqual([
      '/v1/invoiceitems',
      `/v1/subscriptions/${account.subscription.id}`,
    ]);
    expect(sent[0]?.params).toMatchObject({
      subscription: account.subscription.id,
      discounts: [{ coupon: expect.any(String) }],
    });
    expect(sent[1]?.params).toMatchObject({
      payment_behavior: 'pending_if_incomplete',
      proration_behavior: 'always_invoice',
    });
    expect(sent[1]?.params).not.toHaveProperty('add_invoice_items');

    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'premium', interval: 'year' });
    const [purchase] = await purchasesOf(account.accountId);
    expect(purchase).toMatchObject({ kind: 'plan_change', amount: String(quoted.body.amount_due_now) });
    expect(purchase.bought).toMatchObject({
      plan: 'premium',
      bundle: 'premium_training',
      one_time: [{ code: 'training_agency', quantity: 1 }],
    });
  });

  it('quotes as next invoice the plan’s renewal at the period end, without the one-time training', async () => {
    const account = await paidAccount(h, { currency: 'usd', plan: 'pro', interval: 'month' });
    const quoted = await quote(h, account.auth(), { bundle: 'premium_training' });
    expect(quoted.status).toBe(201);
    const premiumYear = quoted.body.lines.find(
      (line: { amount: number; discount: number }) => line.amount === 49000 && line.discount === 0,
    );
    expect(premiumYear).toBeDefined();
    // A new interval resets the anchor: the renewal is a year after today (the clock's MIDDLE).
    expect(quoted.body.next_invoice).toMatchObject({
      amount: 49000,
      date: new Date((MIDDLE + 365 * DAY) * 1000).toISOString(),
    });
  });

  it('shows as the bundle’s discount only what its own coupon takes, not another coupon of the subscription', async () => {
    const account = await paidAccount(h, { currency: 'usd', plan: 'pro', interval: 'month' });
    // NOTE: the emulator shows an invoice-level coupon in the lines' discount_amounts when it is restricted to products.
    const [training] = (await h.stripe.prices.list({ lookup_keys: ['tierlift_addon_training_agency_one_time'] })).data;
    const loyalty = await h.stripe.coupons.create({
      percent_off: 10,
      duration: 'forever',
      applies_to: { products: [String(training?.product)] },
    });
    await h.stripe.subscriptions.update(account.subscription.id, { discounts: [{ coupon: loyalty.id }] });
    const quoted = await quote(h, account.auth(), { bundle: 'premium_training' });
    expect(quoted.status).toBe(201);
    const allDiscounts = quoted.body.lines.reduce((sum: number, line: { discount: number }) => sum + line.discount, 0);
    expect(allDiscounts).toBeGreaterThan(5980);
    expect(quoted.body.bundle).toMatchObject({ code: 'premium_training', discount: 5980 });
  });

  it('is refunded whole: the amount actually paid (discount included, never more) and the previous plan back', async () => {
    const account = await paidAccount(h, { currency: 'usd', plan: 'pro', interval: 'month' });
    const quoted = await quote(h, account.auth(), { bundle: 'premium_training' });
    const changed = await change(h, account.auth(), quoted.body.id);
    expect(changed.body.status).toBe('applied');
    const [purchase] = await purchasesOf(account.accountId);
    h.services.clock.now = () => new Date(new Date(purchase.paid_at).getTime() + 3 * DAY_MS);

    const refunded = await claim(h, account.auth(), purchase.id);
    expect(refunded.status).toBe(200);
    expect(refunded.body).toMatchObject({ status: 'succeeded', amount: quoted.body.amount_due_now, currency: 'usd' });
    const charge = await h.stripe.charges.retrieve(purchase.stripe_charge_id);
    expect(charge.amount_refunded).toBe(charge.amount);
    expect(charge.amount).toBe(quoted.body.amount_due_now);
    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'pro', interval: 'month' });
    const again = await claim(h, account.auth(), purchase.id);
    expect(again.status).toBe(422);
  });

  it('leaves the plan and charges nothing more when the card is declined; the bundle waits on the customer', async () => {
    const account = await paidAccount(h, { currency: 'usd', plan: 'pro', card: 'pm_card_chargeCustomerFail' });
    const quoted = await quote(h, account.auth(), { bundle: 'premium_training' });
    const changed = await change(h, account.auth(), quoted.body.id);
    expect(changed.body).toMatchObject({ status: 'requires_payment_method', amount_due: quoted.body.amount_due_now });
    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'pro', interval: 'month' });
    expect(await purchasesOf(account.accountId)).toEqual([]);
  });
});

describe('a free account buys a bundle through Checkout', () => {
  it('refuses more seats than the bundle’s discount covers afterwards, but lets the account have fewer', async () => {
    const account = await freeAccount(h, 'US');
    const quoted = await quote(h, account.auth, { bundle: 'pro_growth' });
    const changed = await change(h, account.auth, quoted.body.id);
    expect((await pay(changed.body.checkout_url, 'pm_card_visa')).status).toBe(303);
    expect((await h.billing.finishInterruptedOperations()).completed).toBe(1);

    const more = await quote(h, account.auth, { add_ons: [{ code: 'extra_seats', quantity: 25 }] });
    expect(more.status).toBe(422);
    expect(more.body.error).toMatchObject({ code: 'bundle_quantity_fixed', param: 'add_ons[0].quantity' });
    expect(more.body.error.message).toMatch(/covers 5/);
    const fewer = await quote(h, account.auth, { add_ons: [{ code: 'extra_seats', quantity: 3 }] });
    expect(fewer.status).toBe(201);
  });

  it('quotes the first invoice with the coupon on the discounted items only, and Checkout charges exactly that', async () => {
    const account = await freeAccount(h, 'US');
    const quoted = await quote(h, account.auth, { bundle: 'launch_pack' });
    expect(quoted.status).toBe(201);
    // pro yearly 190.00 + SEO set-up 149.00 − 25 % + annual maintenance 490.00 − 25 %
    expect(quoted.body).toMatchObject({
      amount_due_now: 19000 + 11175 + 36750,
      checkout_required: true,
      change: { kind: 'bundle', effective: 'after_checkout' },
      bundle: { code: 'launch_pack', discount: 3725 + 12250 },
    });
    expect(quoted.body.next_invoice.amount).toBe(19000 + 49000);

    const changed = await change(h, account.auth, quoted.body.id);
    expect(changed.body.status).toBe('checkout_required');
    const session = (await stripeWrites(h, (path) => path === '/v1/checkout/sessions')).at(-1);
    expect(session?.params).toMatchObject({ discounts: [{ coupon: expect.any(String) }] });
    expect((await pay(changed.body.checkout_url, 'pm_card_visa')).status).toBe(303);
    expect((await h.billing.finishInterruptedOperations()).completed).toBe(1);

    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'pro', interval: 'year' });
    const [purchase] = await purchasesOf(account.accountId);
    expect(purchase).toMatchObject({ kind: 'subscription_start', amount: String(quoted.body.amount_due_now) });
    const invoice = await h.stripe.invoices.retrieve(purchase.stripe_invoice_id);
    expect(invoice.amount_paid).toBe(quoted.body.amount_due_now);
    const discounts = new Map<string | null, number>();
    for (const line of invoice.lines.data) discounts.set(await lookupKeyOf(priceOf(line)), discountOf(line));
    expect(Object.fromEntries(discounts)).toEqual({
      tierlift_plan_pro_year: 0,
      tierlift_addon_seo_setup_one_time: 3725,
      tierlift_addon_annual_maintenance_year: 12250,
    });
  });
});

describe('refusals: clear 4xx, nothing written', () => {
  async function nothingWritten(accountId: string) {
    const quotes = await h.db.dataSource.query('SELECT id FROM quotes WHERE account_id = $1', [accountId]);
    const operations = await h.db.dataSource.query('SELECT id FROM billing_operations WHERE account_id = $1', [
      accountId,
    ]);
    return { quotes: quotes.length, operations: operations.length };
  }

  it('refuses an unknown bundle', async () => {
    const account = await paidAccount(h, { currency: 'usd' });
    const res = await quote(h, account.auth(), { bundle: 'nope' });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'unknown_bundle', param: 'bundle' });
    expect(await nothingWritten(account.accountId)).toEqual({ quotes: 0, operations: 0 });
  });

  it('refuses a bundle that includes the plan already held', async () => {
    const account = await paidAccount(h, { currency: 'usd', plan: 'pro' });
    const res = await quote(h, account.auth(), { bundle: 'pro_growth' });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'bundle_plan_held', param: 'bundle' });
    expect(await nothingWritten(account.accountId)).toEqual({ quotes: 0, operations: 0 });
  });

  it('refuses a bundle mixed with a plan or add-on change', async () => {
    const account = await paidAccount(h, { currency: 'usd' });
    const res = await quote(h, account.auth(), { bundle: 'premium_training', plan: 'premium' });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'mixed_change', param: 'bundle' });
  });

  it('lets a member see the price but not buy: 403, no operation, nothing sent to Stripe', async () => {
    const account = await paidAccount(h, { currency: 'usd', plan: 'pro' });
    const quoted = await quote(h, account.auth('member'), { bundle: 'premium_training' });
    expect(quoted.status).toBe(201);
    await h.emulator.control.clearRequestLog();
    const res = await change(h, account.auth('member'), quoted.body.id);
    expect(res.status).toBe(403);
    expect(await stripeWrites(h)).toEqual([]);
    expect(await nothingWritten(account.accountId)).toEqual({ quotes: 1, operations: 0 });
    const shown = await request(h.app).get('/v1/account').set('Authorization', account.auth('member'));
    expect(shown.body.subscription).toMatchObject({ plan: 'pro' });
  });

  it('refuses a bundle not sold in the account’s currency (pure rule)', () => {
    const { catalog } = demoCatalog();
    const training = catalog.add_ons.find((addOn) => addOn.code === 'training_agency');
    if (training?.type === 'one_time') delete training.price.jpy;
    expect(() => bundleChange(catalog, null, { bundle: 'premium_training' }, 'jpy')).toThrow(
      expect.objectContaining({ code: 'bundle_not_available', param: 'bundle' }),
    );
  });
});
