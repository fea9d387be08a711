import type { Stripe } from '../../src/stripe/stripe-client';
import {
  DAY,
  START,
  advanceClock,
  change,
  freeAccount,
  mirror,
  paidAccount,
  quote,
  startBillingHarness,
  stripeWrites,
  type BillingHarness,
} from './support/billing-harness';

let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness();
});
afterAll(async () => h?.close());

const pay = (url: string, card: string) =>
  fetch(`${url}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `card=${card}`,
    redirect: 'manual',
  });

async function priceId(lookupKey: string): Promise<string> {
  const { data } = await h.stripe.prices.list({ lookup_keys: [lookupKey] });
  const price = data[0];
  if (!price) throw new Error(`no price ${lookupKey}`);
  return price.id;
}

// STRIPE.md and docs.stripe.com/payments/checkout/subscriptions/update-payment-details: Checkout in
// subscription mode saves the card as the subscription's default_payment_method; the customer's
// invoice_settings.default_payment_method stays empty.
describe('a card saved by a Checkout signup', () => {
  it('is the subscription’s only, and a one-time training afterwards is charged to it directly', async () => {
    const account = await freeAccount(h, 'US');
    const signup = await change(h, account.auth, (await quote(h, account.auth, { plan: 'pro', trial: false })).body.id);
    expect((await pay(signup.body.checkout_url, 'pm_card_visa')).status).toBe(303);
    expect((await h.billing.finishInterruptedOperations()).completed).toBe(1);
    const [row] = await h.db.dataSource.query('SELECT stripe_customer_id FROM accounts WHERE id = $1', [
      account.accountId,
    ]);
    const customer = (await h.stripe.customers.retrieve(row.stripe_customer_id)) as Stripe.Customer;
    expect(customer.invoice_settings.default_payment_method).toBeNull();
    const subscription = (await h.stripe.subscriptions.list({ customer: customer.id })).data[0];
    expect(subscription?.default_payment_method).toEqual(expect.any(String));

    const quoted = await quote(h, account.auth, { add_ons: [{ code: 'training_agency', quantity: 1 }] });
    expect(quoted.status).toBe(201);
    expect(quoted.body.checkout_required).toBe(false);
    const bought = await change(h, account.auth, quoted.body.id);
    expect(bought.status).toBe(200);
    expect(bought.body).toMatchObject({ status: 'applied', amount_charged: quoted.body.amount_due_now });
    const paid = (await stripeWrites(h, (path) => /^\/v1\/invoices\/[^/]+\/pay$/.test(path))).at(-1);
    expect(paid?.params).toMatchObject({ payment_method: subscription?.default_payment_method });
  });
});

// docs.stripe.com/billing/subscriptions/subscription-schedules and STRIPE.md: `from_subscription`
// copies the items with their discounts into phase 0; phases sent back must carry them or Stripe
// removes them.
describe('a discounted subscription scheduled to downgrade', () => {
  it('keeps its item discount on the current phase and on the item that continues', async () => {
    const account = await paidAccount(h, { plan: 'premium' });
    const coupon = await h.stripe.coupons.create({ percent_off: 15, duration: 'forever', name: 'Bundle' });
    const support = await priceId('tierlift_addon_priority_support_month');
    const updated = await h.stripe.subscriptions.update(account.subscription.id, {
      items: [{ price: support, discounts: [{ coupon: coupon.id }] }],
      proration_behavior: 'none',
    });
    const supportItem = updated.items.data.find((item) => item.price.id === support);
    const discount = supportItem?.discounts[0] as string;
    expect(discount).toMatch(/^di_/);
    await mirror(h, account.subscription.id);

    const quoted = await quote(h, account.auth(), {
      plan: 'pro',
      add_ons: [{ code: 'priority_support', quantity: 1 }],
    });
    expect(quoted.body.change).toMatchObject({ kind: 'downgrade', effective: 'period_end' });
    expect((await change(h, account.auth(), quoted.body.id)).body.status).toBe('scheduled');

    const now = await h.stripe.subscriptions.retrieve(account.subscription.id);
    expect(now.items.data.find((item) => item.price.id === support)?.discounts).toEqual([discount]);
    const schedule = await h.stripe.subscriptionSchedules.retrieve(now.schedule as string);
    const discountsOf = (phase: Stripe.SubscriptionSchedule.Phase | undefined) =>
      phase?.items.find((item) => item.price === support)?.discounts.map((entry) => entry.discount);
    expect(discountsOf(schedule.phases[0])).toEqual([discount]);
    expect(discountsOf(schedule.phases[1])).toEqual([discount]);
  });
});

// docs.stripe.com/billing/subscriptions/billing-mode/compare ("Credit prorations"): in flexible
// billing mode the credit for unused time is a share of what was charged for the item, after its
// discounts; classic would credit today's full price once a `once` coupon is spent.
describe('a bundle bought at a discount, then changed (flexible billing mode)', () => {
  it('credits the unused time of what was actually paid, never more', async () => {
    const account = await freeAccount(h, 'US');
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: START });
    const customer = await h.stripe.customers.create({
      test_clock: clock.id,
      metadata: { tierlift_account_id: account.accountId },
    });
    await h.db.dataSource.query('UPDATE accounts SET stripe_customer_id = $2 WHERE id = $1', [
      account.accountId,
      customer.id,
    ]);
    const bought = await change(h, account.auth, (await quote(h, account.auth, { bundle: 'launch_pack' })).body.id);
    expect((await pay(bought.body.checkout_url, 'pm_card_visa')).status).toBe(303);
    expect((await h.billing.finishInterruptedOperations()).completed).toBe(1);
    const subscription = (await h.stripe.subscriptions.list({ customer: customer.id })).data[0];
    expect(subscription?.billing_mode.type).toBe('flexible');
    const maintenance = await priceId('tierlift_addon_annual_maintenance_year');
    const item = subscription?.items.data.find((entry) => entry.price.id === maintenance);
    const end = item?.current_period_end ?? 0;
    const later = START + 100 * DAY;
    await advanceClock(h, clock.id, later);

    const quoted = await quote(h, account.auth, { add_ons: [{ code: 'annual_maintenance', quantity: 0 }] });
    expect(quoted.status).toBe(201);
    const share = (end - later) / (end - START);
    // Paid 490.00 − 25 % (the bundle's `once` coupon) = 367.50 for the year: the credit is that
    // share of 367.50, shown itemized (gross and coupon); classic would credit 490.00's share.
    const credits = quoted.body.lines
      .filter((line: { amount: number }) => line.amount < 0)
      .map((line: { amount: number; discount: number }) => [line.amount, line.discount]);
    expect(credits).toEqual([[-Math.round(49000 * share), -Math.round(12250 * share)]]);
    expect(quoted.body.amount_due_now).toBe(0);
  });
});
