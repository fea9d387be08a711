import crypto from 'node:crypto';
import request from 'supertest';
import { purchases } from '../../src/billing/purchase.repository';
import type { Stripe } from '../../src/stripe/stripe-client';
import {
  advanceClock,
  change,
  DAY,
  freeAccount,
  mirroredPlan,
  paidAccount,
  paidCharges,
  payCheckout,
  quote,
  START,
  startBillingHarness,
  type BillingHarness,
} from '../billing/support/billing-harness';
import { at, buy, claim, DAY_MS } from './support/guarantee-harness';

/**
 * Issue #17, "a ledger, not purchase rows": what a claim refunds is what Stripe still holds for the
 * purchase's invoice lines (docs.stripe.com/billing/subscriptions/prorations: unused time comes back
 * as credit on a later invoice or the customer balance), and a reversal takes back only what that
 * purchase added, as of now, without a new charge.
 */
let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness();
});
afterAll(async () => h?.close());

const invoicesOf = async (customer: string) => (await h.stripe.invoices.list({ customer, limit: 100 })).data;
const lookupKeys = (subscription: Stripe.Subscription) =>
  subscription.items.data.map((item) => item.price.lookup_key).sort();

describe('sequence 4: seats bought, then removed for balance credit', () => {
  it.each([
    ['usd', 1250],
    ['jpy', 1875],
    ['kwd', 5000],
  ])(
    'refunds nothing to the card: Stripe already returned the seats as customer balance credit (%s)',
    async (currency, paid) => {
      const account = await paidAccount(h, { currency });
      const seats = await buy(h, account.auth(), { add_ons: [{ code: 'extra_seats', quantity: 5 }] });
      expect(seats.amount).toBe(paid); // 5 seats for 16 April → 1 May
      await buy(h, account.auth(), { add_ons: [{ code: 'extra_seats', quantity: 0 }] });
      expect((await h.stripe.customers.retrieve(account.customerId)) as Stripe.Customer).toMatchObject({
        balance: -paid,
      });
      at(h, seats, DAY_MS);

      const eligibility = await request(h.app).get('/v1/refunds/eligibility').set('Authorization', account.auth());
      expect(eligibility.body.data).toEqual([
        expect.objectContaining({ purchase_id: seats.id, eligible: false, reason: 'nothing_to_refund' }),
      ]);
      const refused = await claim(h, account.auth(), seats.id);
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('nothing_to_refund');
      expect((await h.stripe.charges.retrieve(seats.chargeId)).amount_refunded).toBe(0);
      expect(((await h.stripe.customers.retrieve(account.customerId)) as Stripe.Customer).balance).toBe(-paid);
    },
  );
});

describe('sequence 5: an upgrade, then monthly → yearly', () => {
  it('refunds the upgrade less the premium credit the yearly invoice gave back, and keeps the yearly plan alone', async () => {
    const account = await paidAccount(h, { currency: 'usd' });
    const upgrade = await buy(h, account.auth(), { plan: 'premium' });
    expect(upgrade.amount).toBe(1500); // +2450 premium, −950 pro for 16 April → 1 May
    await advanceClock(h, account.clockId, START + 25 * DAY); // 26 April
    const yearly = await buy(h, account.auth(), { interval: 'year' });
    const yearlyInvoice = (await invoicesOf(account.customerId)).find(
      (invoice) => invoice.amount_paid === yearly.amount,
    );
    const premiumCredit = yearlyInvoice?.lines.data.find((line) => line.amount < 0)?.amount;
    expect(premiumCredit).toBe(-817); // unused premium, 26 April → 1 May
    const invoicesBefore = (await invoicesOf(account.customerId)).length;
    at(h, upgrade, 10 * DAY_MS);

    const refunded = await claim(h, account.auth(), upgrade.id);
    expect(refunded.status).toBe(200);
    // 1500 paid; of its 15 days the last 5 came back: +817 premium credit against the −317 pro credit
    // the upgrade itself already gave for them → 1000 (per-line rounding: floor 999.8).
    expect(refunded.body.amount).toBe(999);
    const subscription = await h.stripe.subscriptions.retrieve(account.subscription.id);
    expect(lookupKeys(subscription)).toEqual(['tierlift_plan_premium_year']);
    expect(await invoicesOf(account.customerId)).toHaveLength(invoicesBefore);
  });
});

describe('sequence 6: an upgrade refunded after its renewal', () => {
  it('refunds the upgrade and, on the renewal charge, what the renewal charged beyond the previous plan', async () => {
    const account = await paidAccount(h, { currency: 'usd' });
    const upgrade = await buy(h, account.auth(), { plan: 'premium' });
    await advanceClock(h, account.clockId, START + 30 * DAY + 3600); // 1 May: premium renews for 4900
    const renewal = (await paidCharges(h, account.customerId)).find((charge) => charge.amount === 4900);
    expect(renewal).toBeDefined();
    const invoicesBefore = (await invoicesOf(account.customerId)).length;
    at(h, upgrade, 20 * DAY_MS);

    const refunded = await claim(h, account.auth(), upgrade.id);
    expect(refunded.status).toBe(200);
    expect(refunded.body.amount).toBe(1500);
    expect((await h.stripe.charges.retrieve(upgrade.chargeId)).amount_refunded).toBe(1500);
    // May was charged as premium (4900); pro would have been 1900.
    expect((await h.stripe.charges.retrieve(renewal?.id ?? '')).amount_refunded).toBe(3000);
    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'pro', interval: 'month' });
    expect(await invoicesOf(account.customerId)).toHaveLength(invoicesBefore);
  });
});

/** A first subscription recorded as billing records a finished Checkout (the harness's account has none). */
async function recordStart(account: Awaited<ReturnType<typeof paidAccount>>) {
  const invoice = await h.stripe.invoices.retrieve(String(account.subscription.latest_invoice), {
    expand: ['payments.data.payment.payment_intent'],
  });
  const intent = invoice.payments?.data[0]?.payment.payment_intent as Stripe.PaymentIntent;
  const operationId = `bop_start_${account.accountId}`;
  await h.db.dataSource.query(
    `INSERT INTO billing_operations (id, account_id, kind, state, stripe_idempotency_key, stripe_params)
     VALUES ($1, $2, 'checkout', 'completed', $1, '{}')`,
    [operationId, account.accountId],
  );
  const price = account.subscription.items.data[0]?.price.id ?? '';
  await purchases.record(h.db.dataSource.manager, {
    accountId: account.accountId,
    operationId,
    kind: 'subscription_start',
    bought: { plan: 'pro', items: [{ kind: 'plan', code: 'pro', quantity: 1, price }] },
    previous: {},
    currency: invoice.currency,
    amount: invoice.amount_paid,
    stripeSubscriptionId: account.subscription.id,
    stripeInvoiceId: invoice.id,
    stripePaymentIntentId: intent.id,
    stripeChargeId: String(intent.latest_charge),
    paidAt: new Date(START * 1000),
  });
  const [row] = await h.db.dataSource.query('SELECT id FROM purchases WHERE operation_id = $1', [operationId]);
  return { id: row.id as string, chargeId: String(intent.latest_charge) };
}

describe('sequence 6, first plan: a first subscription refunded after its renewal', () => {
  it('cancels it without a new invoice and refunds both the first charge and the renewal of the refunded plan', async () => {
    const account = await paidAccount(h, { currency: 'usd' });
    const start = await recordStart(account);
    await advanceClock(h, account.clockId, START + 30 * DAY + 3600); // 1 May: pro renews for 1900
    const renewal = (await paidCharges(h, account.customerId)).find((charge) => charge.id !== start.chargeId);
    expect(renewal?.amount).toBe(1900);
    const invoicesBefore = (await invoicesOf(account.customerId)).length;
    h.services.clock.now = () => new Date((START + 30 * DAY) * 1000); // the last second of the 30-day window

    const refunded = await claim(h, account.auth(), start.id);
    expect(refunded.status).toBe(200);
    expect(refunded.body.amount).toBe(1900);
    expect((await h.stripe.charges.retrieve(start.chargeId)).amount_refunded).toBe(1900);
    expect((await h.stripe.charges.retrieve(renewal?.id ?? '')).amount_refunded).toBe(1900);
    expect((await h.stripe.subscriptions.retrieve(account.subscription.id)).status).toBe('canceled');
    expect(await invoicesOf(account.customerId)).toHaveLength(invoicesBefore);
  });
});

describe('sequence 12: the first plan refunded after a paid upgrade', () => {
  it('refunds only what the first purchase still holds and never cancels the upgraded subscription', async () => {
    const account = await freeAccount(h, 'US');
    const quoted = await quote(h, account.auth, { plan: 'pro', trial: false });
    const opened = await change(h, account.auth, quoted.body.id);
    const paid = await fetch(`${opened.body.checkout_url}/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'card=pm_card_visa',
      redirect: 'manual',
    });
    expect(paid.status).toBe(303);
    await h.billing.finishInterruptedOperations();
    const [pro] = await h.db.dataSource.query(
      `SELECT id, amount, paid_at, stripe_subscription_id FROM purchases WHERE account_id = $1`,
      [account.accountId],
    );
    expect(pro).toMatchObject({ amount: '1900' });
    // Quotes prorate at the service's clock: the upgrade is priced at the second pro was paid.
    h.services.clock.now = () => new Date(pro.paid_at);
    const upgrade = await buy(h, account.auth, { plan: 'premium' });
    expect(upgrade.amount).toBe(3000); // the whole pro month came back as credit on the upgrade invoice
    h.services.clock.now = () => new Date(upgrade.paidAt.getTime() + DAY_MS);

    const refused = await claim(h, account.auth, pro.id);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('nothing_to_refund');
    const subscription = await h.stripe.subscriptions.retrieve(pro.stripe_subscription_id);
    expect(subscription.status).toBe('active');
    expect(lookupKeys(subscription)).toEqual(['tierlift_plan_premium_month']);
    const eligibility = await request(h.app).get('/v1/refunds/eligibility').set('Authorization', account.auth);
    expect(eligibility.body.data).toEqual(
      expect.arrayContaining([expect.objectContaining({ purchase_id: upgrade.id, eligible: true, amount: 3000 })]),
    );
  });
});

describe('sequence 13: a bundle that changed the interval, refunded', () => {
  it('puts the previous plan back without a new invoice or charge, free until the month already paid ends', async () => {
    const account = await paidAccount(h, { currency: 'usd' });
    const bundle = await buy(h, account.auth(), { bundle: 'premium_training' });
    const invoicesBefore = (await invoicesOf(account.customerId)).length;
    const chargesBefore = (await paidCharges(h, account.customerId)).length;
    at(h, bundle, 3 * DAY_MS);

    const refunded = await claim(h, account.auth(), bundle.id);
    expect(refunded.status).toBe(200);
    expect(refunded.body.amount).toBe(bundle.amount);
    expect(await invoicesOf(account.customerId)).toHaveLength(invoicesBefore);
    expect(await paidCharges(h, account.customerId)).toHaveLength(chargesBefore);
    const subscription = await h.stripe.subscriptions.retrieve(account.subscription.id);
    expect(lookupKeys(subscription)).toEqual(['tierlift_plan_pro_month']);
    // Pro was paid until 1 May (its unused part went into the refunded bundle): nothing is due before.
    expect(subscription).toMatchObject({ status: 'trialing', trial_end: START + 30 * DAY });
    expect(subscription.items.data[0]?.current_period_end).toBe(START + 30 * DAY);
    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'pro', interval: 'month' });
  });

  it('after the month already paid, puts it back free until its next billing date, still without a charge', async () => {
    const account = await paidAccount(h, { currency: 'usd' });
    const bundle = await buy(h, account.auth(), { bundle: 'premium_training' });
    await advanceClock(h, account.clockId, START + 34 * DAY); // 5 May: pro would have renewed on 1 May
    const invoicesBefore = (await invoicesOf(account.customerId)).length;
    at(h, bundle, 19 * DAY_MS);

    const refunded = await claim(h, account.auth(), bundle.id);
    expect(refunded.status).toBe(200);
    expect(refunded.body.reversal).toMatchObject({ action: 'reverted', free_until: START + 61 * DAY });
    expect(await invoicesOf(account.customerId)).toHaveLength(invoicesBefore);
    const subscription = await h.stripe.subscriptions.retrieve(account.subscription.id);
    expect(lookupKeys(subscription)).toEqual(['tierlift_plan_pro_month']);
    expect(subscription).toMatchObject({ status: 'trialing', trial_end: START + 61 * DAY }); // 1 June
  });
});

/**
 * Sequence 4: five seats bought and paid; a claim on them starts, its first ledger read answers
 * 1.5 s late, and the seats are removed meanwhile (1,250 back as credit). Answers the claim's
 * response (not awaited) once the removal has applied.
 */
async function claimWhileSeatsAreRemoved(key: string) {
  const account = await paidAccount(h, { currency: 'usd' });
  const seats = await buy(h, account.auth(), { add_ons: [{ code: 'extra_seats', quantity: 5 }] });
  at(h, seats, DAY_MS);
  const removal = await quote(h, account.auth(), { add_ons: [{ code: 'extra_seats', quantity: 0 }] });
  await h.emulator.control.injectFault({
    method: 'GET',
    path: '/v1/invoices',
    kind: 'delay',
    delayMs: 1500,
    after: true,
  });
  const claiming = claim(h, account.auth(), seats.id, key).then((response) => response);
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect((await change(h, account.auth(), removal.body.id)).body.status).toBe('applied');
  const nothingRefundedTwice = async () => {
    expect((await h.stripe.charges.retrieve(seats.chargeId)).amount_refunded).toBe(0);
    expect(((await h.stripe.customers.retrieve(account.customerId)) as Stripe.Customer).balance).toBe(-1250);
  };
  return { account, seats, claiming, nothingRefundedTwice };
}

describe('sequence 4 under the lane: seats removed while the claim reads its ledger', () => {
  it('re-reads the ledger once the claim holds the lane and refunds nothing twice', async () => {
    const { claiming, nothingRefundedTwice } = await claimWhileSeatsAreRemoved(crypto.randomUUID());
    const refused = await claiming;
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('nothing_to_refund');
    await nothingRefundedTwice();
  });
});

describe('sequence 4, resumed: the check under the lane never ran', () => {
  it('checks the amount again when a claim that sent nothing is resumed, and refunds nothing twice', async () => {
    const key = crypto.randomUUID();
    const { account, seats, claiming, nothingRefundedTwice } = await claimWhileSeatsAreRemoved(key);
    // The claim takes the lane with the amount it read before the removal; its check under the
    // lane then cannot read the ledger (Stripe answers 500 to every try), so the claim stays claimed.
    await h.emulator.control.injectFault({ method: 'GET', path: '/v1/invoices', kind: 'api_error_500', count: 3 });
    expect((await claiming).status).toBeGreaterThanOrEqual(500);
    await h.emulator.control.clearFaults();
    const [left] = await h.db.dataSource.query(`SELECT state, amount FROM refund_claims WHERE purchase_id = $1`, [
      seats.id,
    ]);
    expect({ ...left, amount: Number(left.amount) }).toEqual({ state: 'claimed', amount: 1250 });
    // The client's retry resumes the claim: the ledger now says nothing is left to refund.
    const retried = await claim(h, account.auth(), seats.id, key);
    expect([retried.status, retried.body.error?.code]).toEqual([422, 'nothing_to_refund']);
    await nothingRefundedTwice();
  });
});

describe('a first subscription carrying add-ons bought later', () => {
  it('refuses to refund it (later_purchases_first) rather than refund it and leave the plan in place', async () => {
    const account = await freeAccount(h);
    const signup = await change(h, account.auth, (await quote(h, account.auth, { plan: 'pro', trial: false })).body.id);
    expect((await payCheckout(signup.body.checkout_url, 'pm_card_visa')).status).toBe(303);
    await h.billing.finishInterruptedOperations();
    const [start] = await h.db.dataSource.query(
      `SELECT id, paid_at, stripe_charge_id FROM purchases WHERE account_id = $1 AND kind = 'subscription_start'`,
      [account.accountId],
    );
    h.services.clock.now = () => new Date(start.paid_at.getTime() + DAY_MS);
    const seats = await quote(h, account.auth, { add_ons: [{ code: 'extra_seats', quantity: 2 }] });
    expect((await change(h, account.auth, seats.body.id)).body.status).toBe('applied');

    const refused = await claim(h, account.auth, start.id);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('later_purchases_first');
    expect((await h.stripe.charges.retrieve(start.stripe_charge_id)).amount_refunded).toBe(0);
    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'pro', interval: 'month' });
    const lanes = await h.db.dataSource.query('SELECT 1 FROM billing_lanes WHERE account_id = $1', [account.accountId]);
    expect(lanes).toEqual([]);
  });
});
