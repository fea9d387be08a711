import request from 'supertest';
import {
  DAY,
  MIDDLE,
  advanceClock,
  change,
  freeAccount,
  mirror,
  mirroredPlan,
  paidAccount,
  paidCharges,
  quote,
  startBillingHarness,
  stripeWrites,
  useCard,
  type BillingHarness,
  payCheckout as pay,
} from './support/billing-harness';
import { claim } from '../guarantees/support/guarantee-harness';
import { adminAuth } from '../support/tokens';

/** The service's clock one day after the account's purchase was paid (inside every guarantee window). */
async function dayAfterPurchase(accountId: string): Promise<string> {
  const [purchase] = await h.db.dataSource.query('SELECT id, paid_at FROM purchases WHERE account_id = $1', [
    accountId,
  ]);
  h.services.clock.now = () => new Date(purchase.paid_at.getTime() + 86_400_000);
  return purchase.id;
}

/**
 * One billing lane per account (issue #17, sequences 1, 2, 3, 7, 10 and 15): every operation that
 * moves money or entitlements holds the account's lane from its claim to a terminal state, waiting
 * on the customer included, and staleness is checked under it.
 * Stripe docs followed: "Pending updates" (docs.stripe.com/billing/subscriptions/pending-updates:
 * the update is applied only when its invoice is paid), "Expire a Checkout Session"
 * (docs.stripe.com/api/checkout/sessions/expire: an expired session can no longer be paid) and
 * "Customer credit balance" (docs.stripe.com/billing/customer/balance: the balance is applied to
 * the next finalized invoice).
 */
let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness();
});
afterAll(async () => h?.close());

async function operationState(id: string): Promise<{ state: string; status: string | null }> {
  const [row] = await h.db.dataSource.query(
    `SELECT state, result->>'status' AS status FROM billing_operations WHERE id = $1`,
    [id],
  );
  return row;
}

async function purchasesOf(accountId: string): Promise<Array<{ amount: string; bought: { plan?: string } }>> {
  return h.db.dataSource.query('SELECT amount, bought FROM purchases WHERE account_id = $1 ORDER BY paid_at', [
    accountId,
  ]);
}

describe('sequence 1: a free account opening Checkout twice', () => {
  it('refuses the second Checkout while the first is open, naming it', async () => {
    const account = await freeAccount(h);
    const first = await change(h, account.auth, (await quote(h, account.auth, { plan: 'pro', trial: false })).body.id);
    expect(first.body.status).toBe('checkout_required');
    const second = await change(h, account.auth, (await quote(h, account.auth, { plan: 'pro', trial: false })).body.id);
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'change_in_progress', operation_id: first.body.operation_id });
    expect(second.body.error.holder).toMatchObject({ kind: 'checkout', state: 'awaiting_customer' });
    const sessions = await stripeWrites(h, (path) => path === '/v1/checkout/sessions');
    expect(sessions.filter((entry) => entry.params.client_reference_id === account.accountId)).toHaveLength(1);
  });

  it('supersedes the open Checkout only when asked: the first session expires and can never be paid', async () => {
    const account = await freeAccount(h);
    const first = await change(h, account.auth, (await quote(h, account.auth, { plan: 'pro', trial: false })).body.id);
    const secondQuote = await quote(h, account.auth, { plan: 'premium', trial: false });
    const second = await request(h.app)
      .post('/v1/changes')
      .set('Authorization', account.auth)
      .set('Idempotency-Key', `supersede-${account.accountId}`)
      .send({ quote_id: secondQuote.body.id, supersede: true });
    expect(second.status).toBe(200);
    expect(second.body.status).toBe('checkout_required');
    expect(await operationState(first.body.operation_id)).toEqual({ state: 'failed', status: 'superseded' });

    const refusedPayment = await pay(first.body.checkout_url, 'pm_card_visa');
    expect(refusedPayment.status).toBe(402);
    expect(await refusedPayment.text()).toContain('This Checkout Session is expired');
    expect((await pay(second.body.checkout_url, 'pm_card_visa')).status).toBe(303);
    await h.billing.finishInterruptedOperations();

    const customerId: string = (
      await h.db.dataSource.query('SELECT stripe_customer_id FROM accounts WHERE id = $1', [account.accountId])
    )[0].stripe_customer_id;
    const live = await h.stripe.subscriptions.list({ customer: customerId, status: 'active' });
    expect(live.data).toHaveLength(1);
    expect((await paidCharges(h, customerId)).map((charge) => charge.amount)).toEqual([
      secondQuote.body.amount_due_now,
    ]);
    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'premium', interval: 'month' });
    expect((await purchasesOf(account.accountId)).map((p) => p.bought.plan)).toEqual(['premium']);
  });

  it('answers quote_stale when the Checkout it would supersede was paid meanwhile, recording that purchase', async () => {
    const account = await freeAccount(h);
    const first = await change(h, account.auth, (await quote(h, account.auth, { plan: 'pro', trial: false })).body.id);
    const secondQuote = await quote(h, account.auth, { plan: 'premium', trial: false });
    expect((await pay(first.body.checkout_url, 'pm_card_visa')).status).toBe(303);
    const second = await request(h.app)
      .post('/v1/changes')
      .set('Authorization', account.auth)
      .set('Idempotency-Key', `supersede-paid-${account.accountId}`)
      .send({ quote_id: secondQuote.body.id, supersede: true });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('quote_stale');
    expect(await operationState(first.body.operation_id)).toMatchObject({ state: 'completed', status: 'applied' });
    expect((await purchasesOf(account.accountId)).map((p) => p.bought.plan)).toEqual(['pro']);
  });
});

describe('sequence 2: a change accepted while another waits on 3-D Secure', () => {
  it('refuses the second change; the first applies once authenticated, exactly as quoted', async () => {
    const account = await paidAccount(h);
    await useCard(h, account.customerId, 'pm_card_authenticationRequired');
    const premium = await quote(h, account.auth(), { plan: 'premium' });
    const waiting = await change(h, account.auth(), premium.body.id);
    expect(waiting.body.status).toBe('requires_action');

    const seats = await quote(h, account.auth(), { add_ons: [{ code: 'extra_seats', quantity: 3 }] });
    const refused = await change(h, account.auth(), seats.body.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'change_in_progress', operation_id: waiting.body.operation_id });
    expect(refused.body.error.holder).toMatchObject({ state: 'awaiting_customer', status: 'requires_action' });

    await h.emulator.control.completeAuthentication(String(waiting.body.client_secret).split('_secret_')[0] ?? '');
    const shown = await request(h.app)
      .get(`/v1/changes/${waiting.body.operation_id}`)
      .set('Authorization', account.auth());
    expect(shown.body).toMatchObject({ status: 'applied', amount_charged: premium.body.amount_due_now });
    const subscription = await h.stripe.subscriptions.retrieve(account.subscription.id);
    expect(subscription.items.data.map((item) => item.price.lookup_key)).toEqual(['tierlift_plan_premium_month']);
    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'premium', interval: 'month' });
  });
});

describe('sequence 3: two quotes made together, the second run after the first applied', () => {
  it('refuses the stale quote under the lane, sending nothing to Stripe', async () => {
    const account = await paidAccount(h);
    const premium = await quote(h, account.auth(), { plan: 'premium' });
    const seats = await quote(h, account.auth(), { add_ons: [{ code: 'extra_seats', quantity: 3 }] });
    expect((await change(h, account.auth(), premium.body.id)).body.status).toBe('applied');
    const before = (await stripeWrites(h)).length;

    const stale = await change(h, account.auth(), seats.body.id);
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'quote_stale', reason: 'subscription' });
    expect((await stripeWrites(h)).length).toBe(before);
    const subscription = await h.stripe.subscriptions.retrieve(account.subscription.id);
    expect(subscription.items.data.map((item) => item.price.lookup_key)).toEqual(['tierlift_plan_premium_month']);
    // the refused operation gave the lane back: a fresh quote goes through
    const fresh = await quote(h, account.auth(), { add_ons: [{ code: 'extra_seats', quantity: 3 }] });
    const applied = await change(h, account.auth(), fresh.body.id);
    expect(applied.body).toMatchObject({ status: 'applied', amount_charged: fresh.body.amount_due_now });
  });

  it('never runs a quote whose check read Stripe before another change applied', async () => {
    const account = await paidAccount(h);
    const premium = await quote(h, account.auth(), { plan: 'premium' });
    const seats = await quote(h, account.auth(), { add_ons: [{ code: 'extra_seats', quantity: 3 }] });
    // The seats change reads the subscription first, and hears the answer 1.5 s later; meanwhile
    // the premium change is sent. Before the lane, the seats change then ran on what it had read.
    await h.emulator.control.injectFault({
      method: 'GET',
      path: '/v1/subscriptions',
      kind: 'delay',
      delayMs: 1500,
      after: true,
    });
    const seatsChange = change(h, account.auth(), seats.body.id).then((response) => response);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const premiumChange = await change(h, account.auth(), premium.body.id);
    const answers = [await seatsChange, premiumChange];
    const applied = answers.filter((answer) => answer.body.status === 'applied');
    expect(applied).toHaveLength(1);
    expect(answers.find((answer) => answer.body.status !== 'applied')?.status).toBe(409);
    const subscription = await h.stripe.subscriptions.retrieve(account.subscription.id);
    const held = subscription.items.data.map((item) => `${item.price.lookup_key}×${item.quantity}`).sort();
    const wanted =
      applied[0]?.body.operation_id === premiumChange.body.operation_id
        ? ['tierlift_plan_premium_month×1']
        : ['tierlift_addon_extra_seats_month×3', 'tierlift_plan_pro_month×1'];
    expect(held).toEqual(wanted);
    expect(await paidCharges(h, account.customerId)).toHaveLength(2);
  });

  it('lets exactly one of two quotes run when both are sent at once', async () => {
    const account = await paidAccount(h);
    const premium = await quote(h, account.auth(), { plan: 'premium' });
    const seats = await quote(h, account.auth(), { add_ons: [{ code: 'extra_seats', quantity: 3 }] });
    const answers = await Promise.all([
      change(h, account.auth(), premium.body.id),
      change(h, account.auth(), seats.body.id),
    ]);
    const applied = answers.filter((answer) => answer.body.status === 'applied');
    expect(applied).toHaveLength(1);
    const other = answers.find((answer) => answer.body.status !== 'applied');
    expect(other?.status).toBe(409);
    expect(['change_in_progress', 'quote_stale']).toContain(other?.body.error.code);
    const charges = await paidCharges(h, account.customerId);
    // the subscription's first invoice plus exactly one change
    expect(charges).toHaveLength(2);
  });
});

describe('sequence 7: a refund while a change waits on 3-D Secure', () => {
  it('refuses the refund with the holder named; nothing is refunded', async () => {
    const account = await paidAccount(h);
    const premium = await quote(h, account.auth(), { plan: 'premium' });
    expect((await change(h, account.auth(), premium.body.id)).body.status).toBe('applied');
    const purchaseId = await dayAfterPurchase(account.accountId);
    await useCard(h, account.customerId, 'pm_card_authenticationRequired');
    const seats = await quote(h, account.auth(), { add_ons: [{ code: 'extra_seats', quantity: 2 }] });
    const waiting = await change(h, account.auth(), seats.body.id);
    expect(waiting.body.status).toBe('requires_action');

    const refused = await claim(h, account.auth(), purchaseId);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'change_in_progress', operation_id: waiting.body.operation_id });
    expect(await stripeWrites(h, (path) => path === '/v1/refunds')).toHaveLength(0);
    const claims = await h.db.dataSource.query('SELECT id FROM refund_claims WHERE account_id = $1', [
      account.accountId,
    ]);
    expect(claims).toHaveLength(0);
  });

  it('refuses a change while a refund claim holds the lane', async () => {
    const account = await paidAccount(h);
    const premium = await quote(h, account.auth(), { plan: 'premium' });
    expect((await change(h, account.auth(), premium.body.id)).body.status).toBe('applied');
    const purchaseId = await dayAfterPurchase(account.accountId);
    // the claim's refund reaches Stripe and its answer is lost: the claim stays unfinished
    await h.emulator.control.injectFault({ method: 'POST', path: '/v1/refunds', kind: 'api_error_500', after: true });
    expect((await claim(h, account.auth(), purchaseId)).status).toBe(503);
    const seats = await quote(h, account.auth(), { add_ons: [{ code: 'extra_seats', quantity: 2 }] });
    const refused = await change(h, account.auth(), seats.body.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'change_in_progress', holder: { type: 'refund_claim' } });
  });
});

describe('sequence 10: a quote that assumed a credit balance', () => {
  it('is stale once the balance it counted on has changed', async () => {
    const account = await paidAccount(h);
    await h.stripe.customers.update(account.customerId, { balance: -1250 });
    const premium = await quote(h, account.auth(), { plan: 'premium' });
    expect(premium.status).toBe(201);
    // the credit is spent elsewhere (another invoice) before the upgrade runs
    await h.stripe.customers.update(account.customerId, { balance: 0 });
    const stale = await change(h, account.auth(), premium.body.id);
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'quote_stale', reason: 'subscription' });
    expect(await paidCharges(h, account.customerId)).toHaveLength(1);
  });
});

describe('sequence 15: a declined change and the changes after it', () => {
  it('holds the lane until the declined change ends; the next change is then charged and recorded', async () => {
    const account = await paidAccount(h);
    await useCard(h, account.customerId, 'pm_card_chargeDeclined');
    const declined = await change(h, account.auth(), (await quote(h, account.auth(), { plan: 'premium' })).body.id);
    expect(declined.body.status).toBe('requires_payment_method');
    await useCard(h, account.customerId, 'pm_card_visa');
    const seats = await quote(h, account.auth(), { add_ons: [{ code: 'extra_seats', quantity: 2 }] });
    const refused = await change(h, account.auth(), seats.body.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error.operation_id).toBe(declined.body.operation_id);

    await advanceClock(h, account.clockId, MIDDLE + DAY + 3600);
    await h.billing.finishInterruptedOperations();
    expect(await operationState(declined.body.operation_id)).toEqual({ state: 'failed', status: 'expired' });
    const premium = await quote(h, account.auth(), { plan: 'premium' });
    const paid = await change(h, account.auth(), premium.body.id);
    expect(paid.body).toMatchObject({ status: 'applied', amount_charged: premium.body.amount_due_now });
    expect((await purchasesOf(account.accountId)).map((p) => Number(p.amount))).toEqual([premium.body.amount_due_now]);
  });
});

describe('sequence 16: two live Stripe subscriptions for one account', () => {
  it('mirrors the first, reports the second, and refuses changes with a 409 instead of a 5xx', async () => {
    const account = await paidAccount(h);
    const premium = await quote(h, account.auth(), { plan: 'premium' });
    // made outside Tierlift (the dashboard, a script): Stripe now bills the customer twice
    const [price] = (await h.stripe.prices.list({ lookup_keys: ['tierlift_plan_pro_month'] })).data;
    const second = await h.stripe.subscriptions.create({
      customer: account.customerId,
      items: [{ price: price?.id ?? '' }],
    });
    expect(second.status).toBe('active');
    await expect(mirror(h, second.id)).resolves.toBeUndefined();
    const mirrored = await h.db.dataSource.query(
      `SELECT id FROM subscriptions WHERE account_id = $1 AND status = 'active'`,
      [account.accountId],
    );
    expect(mirrored).toEqual([{ id: account.subscription.id }]);

    const before = (await stripeWrites(h)).length;
    const changed = await change(h, account.auth(), premium.body.id);
    expect(changed.status).toBe(409);
    expect(changed.body.error).toMatchObject({ code: 'multiple_live_subscriptions' });
    expect((await stripeWrites(h)).length).toBe(before);
    const quoted = await quote(h, account.auth(), { plan: 'premium' });
    expect(quoted.status).toBe(409);

    const report = await request(h.app).post('/admin/v1/reconciliations').set('Authorization', adminAuth);
    expect(report.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ id: second.id })]));
  });
});

describe('cancelling a scheduled downgrade holds the lane', () => {
  it('refuses other money movements while the release is unfinished; the janitor finishes it', async () => {
    const account = await paidAccount(h, { plan: 'premium' });
    const scheduled = await change(h, account.auth(), (await quote(h, account.auth(), { plan: 'pro' })).body.id);
    expect(scheduled.body.status).toBe('scheduled');
    // Stripe releases the schedule, but its answer is lost
    await h.emulator.control.injectFault({
      method: 'POST',
      path: '/v1/subscription_schedules/*',
      kind: 'api_error_500',
      after: true,
    });
    const cancelling = await request(h.app)
      .post(`/v1/changes/${scheduled.body.operation_id}/cancel`)
      .set('Authorization', account.auth())
      .send({});
    expect(cancelling.status).toBe(503);
    const cancel = await request(h.app)
      .post('/v1/subscription/cancel')
      .set('Authorization', account.auth())
      .set('Idempotency-Key', `cancel-${account.accountId}`)
      .send({ at_period_end: true });
    expect(cancel.status).toBe(409);
    expect(cancel.body.error).toMatchObject({ code: 'change_in_progress', holder: { kind: 'cancel_schedule' } });

    await h.db.dataSource.query(`UPDATE billing_operations SET lease_until = NULL WHERE account_id = $1`, [
      account.accountId,
    ]);
    await h.billing.finishInterruptedOperations();
    const shown = await request(h.app)
      .get(`/v1/changes/${scheduled.body.operation_id}`)
      .set('Authorization', account.auth());
    expect(shown.body.status).toBe('canceled');
    const lanes = await h.db.dataSource.query('SELECT * FROM billing_lanes WHERE account_id = $1', [account.accountId]);
    expect(lanes).toEqual([]);
  });
});

describe("docs/billing.md's worked examples", () => {
  it.each([
    ['usd', 1500],
    ['jpy', 2300],
    ['kwd', 4500],
  ])('charges exactly the documented %s amount for Pro → Premium on 16 April, as quoted', async (currency, due) => {
    const account = await paidAccount(h, { currency });
    const quoted = await quote(h, account.auth(), { plan: 'premium' });
    expect(quoted.body.amount_due_now).toBe(due);
    const changed = await change(h, account.auth(), quoted.body.id);
    expect(changed.body).toMatchObject({ status: 'applied', amount_charged: due, currency });
  });
});

describe('a pay-first update left unsent past its consent window', () => {
  it('is never sent by the janitor; it ends expired and gives the lane back', async () => {
    const account = await paidAccount(h);
    const premium = await quote(h, account.auth(), { plan: 'premium' });
    // Stripe is unreachable for the update: nothing happens, the operation stays sent
    await h.emulator.control.injectFault({
      method: 'POST',
      path: `/v1/subscriptions/${account.subscription.id}`,
      kind: 'api_error_500',
    });
    const interrupted = await change(h, account.auth(), premium.body.id);
    expect(interrupted.status).toBe(503);
    // 25 h later (the request's journal stamp moves back; Stripe's idempotency keys are gone by then)
    await h.db.dataSource.query(
      `UPDATE billing_operations SET created_at = created_at - interval '25 hours', lease_until = NULL
        WHERE account_id = $1`,
      [account.accountId],
    );
    await h.emulator.control.clearRequestLog();
    await h.billing.finishInterruptedOperations();
    expect(await stripeWrites(h, (path) => path === `/v1/subscriptions/${account.subscription.id}`)).toEqual([]);
    const [operation] = await h.db.dataSource.query(
      `SELECT state, result->>'status' AS status FROM billing_operations WHERE account_id = $1`,
      [account.accountId],
    );
    expect(operation).toEqual({ state: 'failed', status: 'expired' });
    expect(await paidCharges(h, account.customerId)).toHaveLength(1);
    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'pro', interval: 'month' });
  });
});
