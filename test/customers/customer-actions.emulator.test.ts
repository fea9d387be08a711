import request from 'supertest';
import type Stripe from 'stripe';
import {
  DAY,
  START,
  advanceClock,
  change,
  paidAccount,
  paidCharges,
  payCheckout,
  quote,
  startBillingHarness,
  type BillingHarness,
} from '../billing/support/billing-harness';
import { freeAccountOnClock, movableClock, webhooksSettled } from '../lifecycle/support/lifecycle-world';
import { adminAuth, bearer } from '../support/tokens';

/**
 * Customer 360 actions (issue #23), each one journalled Stripe call under the account's lane and
 * checked on the emulator afterwards:
 * - grant a credit: a customer balance transaction (docs.stripe.com/api/customer_balance_transactions/create;
 *   docs.stripe.com/billing/customer/balance: a negative amount is credit, used by the next invoice);
 * - resend a receipt: docs.stripe.com/api/invoices/send;
 * - extend a trial: `trial_end` with `proration_behavior: 'none'` (docs.stripe.com/billing/subscriptions/trials):
 *   the first charge moves to the new date.
 */
const clock = movableClock(START);
let h: BillingHarness;
let otto: string;
let ottoId: string;
beforeAll(async () => {
  h = await startBillingHarness({ webhooks: true, clock });
  const created = await request(h.app)
    .post('/admin/v1/operators')
    .set('Authorization', adminAuth)
    .send({ name: 'Otto', role: 'operator' });
  otto = bearer(created.body.key);
  ottoId = created.body.id;
});
afterAll(async () => h?.close());

const post = (path: string, body: object = {}) => request(h.app).post(path).set('Authorization', otto).send(body);

async function auditActions(target: string): Promise<string[]> {
  const log = await request(h.app).get(`/admin/v1/audit-log?actor_id=${ottoId}`).set('Authorization', adminAuth);
  return log.body.data
    .filter((entry: { target: string }) => entry.target.includes(target))
    .map((entry: { action: string; outcome: string }) => `${entry.action} ${entry.outcome}`);
}

describe('grant a credit', () => {
  it('adds a balance credit in Stripe that the next invoice uses, journalled and audited', async () => {
    clock.set(START);
    const paid = await paidAccount(h);
    const path = `/admin/v1/customers/${paid.accountId}/credits`;
    expect((await post(path, { amount: 0, currency: 'usd', reason: 'x' })).status).toBe(422);
    expect((await post(path, { amount: 12.5, currency: 'usd', reason: 'x' })).status).toBe(422);
    expect((await post(path, { amount: 2_000_000, currency: 'usd', reason: 'x' })).status).toBe(422);
    expect((await post(path, { amount: 500, currency: 'usd', reason: 'x', extra: 1 })).status).toBe(422);
    const wrongCurrency = await post(path, { amount: 500, currency: 'eur', reason: 'Sorry' });
    expect(wrongCurrency.status).toBe(422);
    expect(wrongCurrency.body.error).toMatchObject({ code: 'currency_mismatch' });
    expect(
      (await post('/admin/v1/customers/acct_none/credits', { amount: 5, currency: 'usd', reason: 'x' })).status,
    ).toBe(404);

    const granted = await post(path, { amount: 500, currency: 'USD', reason: 'Outage on 3 April' });
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({
      kind: 'credit',
      status: 'credited',
      amount: 500,
      currency: 'usd',
      ending_balance: -500,
    });
    const customer = (await h.stripe.customers.retrieve(paid.customerId)) as Stripe.Customer;
    expect(customer.balance).toBe(-500);
    const [transaction] = (await h.stripe.customers.listBalanceTransactions(paid.customerId)).data;
    expect(transaction).toMatchObject({
      id: granted.body.balance_transaction,
      amount: -500,
      currency: 'usd',
      description: 'Outage on 3 April',
      metadata: { tierlift_operation_id: granted.body.operation_id, tierlift_operator_id: ottoId },
    });
    const [operation] = await h.db.dataSource.query(
      'SELECT kind, state, stripe_idempotency_key FROM billing_operations WHERE id = $1',
      [granted.body.operation_id],
    );
    expect(operation).toMatchObject({
      kind: 'credit',
      state: 'completed',
      stripe_idempotency_key: `op-${granted.body.operation_id}-credit`,
    });
    // the lane is free again, and no refund was recorded: credit is not money returned
    const [refunds] = await h.db.dataSource.query(
      'SELECT count(*)::int AS n FROM refund_claims WHERE account_id = $1',
      [paid.accountId],
    );
    expect(refunds.n).toBe(0);

    // Stripe applies the credit to the next invoice (the renewal)
    await advanceClock(h, paid.clockId, START + 31 * DAY);
    const renewal = (await h.stripe.invoices.list({ customer: paid.customerId, limit: 1 })).data[0]!;
    expect(renewal).toMatchObject({ starting_balance: -500, ending_balance: 0, amount_due: renewal.total - 500 });
    expect(await auditActions(paid.accountId)).toContain('POST /admin/v1/customers/:id/credits succeeded');
  });
});

describe('an interrupted credit', () => {
  it('holds the lane, and the janitor finishes it once: one balance transaction in Stripe', async () => {
    clock.set(START);
    const paid = await paidAccount(h);
    // Stripe applies the credit but the answer is lost (a 500 after the write)
    await h.emulator.control.injectFault({
      method: 'POST',
      path: `/v1/customers/${paid.customerId}/balance_transactions`,
      kind: 'api_error_500',
      after: true,
    });
    const path = `/admin/v1/customers/${paid.accountId}/credits`;
    const lost = await post(path, { amount: 250, currency: 'usd', reason: 'Lost answer' });
    expect(lost.status).toBeGreaterThanOrEqual(500);
    const busy = await post(path, { amount: 100, currency: 'usd', reason: 'Second' });
    expect(busy.status).toBe(409);
    expect(busy.body.error).toMatchObject({ code: 'change_in_progress' });

    await h.billing.finishInterruptedOperations();
    const [operation] = await h.db.dataSource.query(
      "SELECT state, result FROM billing_operations WHERE account_id = $1 AND kind = 'credit'",
      [paid.accountId],
    );
    expect(operation).toMatchObject({ state: 'completed', result: { status: 'credited', amount: 250 } });
    const transactions = (await h.stripe.customers.listBalanceTransactions(paid.customerId)).data;
    expect(transactions.map((t) => t.amount)).toEqual([-250]);
    expect(((await h.stripe.customers.retrieve(paid.customerId)) as Stripe.Customer).balance).toBe(-250);
  });
});

describe('resend a receipt', () => {
  it("sends the account's own invoice through Stripe and answers another account's with 404", async () => {
    clock.set(START);
    const paid = await paidAccount(h);
    const other = await paidAccount(h);
    const [invoice] = (await h.stripe.invoices.list({ customer: paid.customerId, limit: 1 })).data;
    const [foreign] = (await h.stripe.invoices.list({ customer: other.customerId, limit: 1 })).data;
    const base = `/admin/v1/customers/${paid.accountId}/invoices`;
    expect((await post(`${base}/${foreign!.id}/send`)).status).toBe(404);
    expect((await post(`${base}/in_doesnotexist/send`)).status).toBe(404);
    expect((await post(`${base}/nonsense/send`)).status).toBe(422);
    expect((await post(`${base}/${invoice!.id}/send`, { x: 1 })).status).toBe(422);

    const sent = await post(`${base}/${invoice!.id}/send`);
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ kind: 'send_invoice', status: 'invoice_sent', invoice: invoice!.id });
    const events = await h.stripe.events.list({ type: 'invoice.sent', limit: 100 });
    expect(events.data.map((event) => (event.data.object as Stripe.Invoice).id)).toEqual([invoice!.id]);
    expect(await auditActions(paid.accountId)).toEqual(
      expect.arrayContaining([
        'POST /admin/v1/customers/:id/invoices/:invoice_id/send succeeded',
        'POST /admin/v1/customers/:id/invoices/:invoice_id/send refused',
      ]),
    );
  });
});

describe('extend a trial', () => {
  it('moves the trial end and the first charge to the new date; only while trialing', async () => {
    clock.set(START);
    const account = await freeAccountOnClock(h, START);
    const quoted = await quote(h, account.auth, { plan: 'pro' });
    const changed = await change(h, account.auth, quoted.body.id);
    expect((await payCheckout(changed.body.checkout_url, 'pm_card_visa')).status).toBe(303);
    await webhooksSettled(h);
    const path = `/admin/v1/customers/${account.accountId}/trial`;
    const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

    expect((await post(path, { trial_end: iso(START + 10 * DAY) })).body.error).toMatchObject({
      code: 'trial_end_not_later',
    });
    expect((await post(path, { trial_end: iso(START + 100 * DAY) })).body.error).toMatchObject({
      code: 'trial_end_too_far',
    });
    expect((await post(path, { trial_end: 'next week' })).status).toBe(422);

    const extended = await post(path, { trial_end: iso(START + 21 * DAY) });
    expect(extended.status).toBe(200);
    expect(extended.body).toMatchObject({
      kind: 'extend_trial',
      status: 'trial_extended',
      trial_end: iso(START + 21 * DAY),
    });
    await webhooksSettled(h);
    const shown = await request(h.app).get('/v1/account').set('Authorization', account.auth);
    expect(shown.body.subscription).toMatchObject({ status: 'trialing', trial_end: iso(START + 21 * DAY) });

    // the old end passes without a charge; the new one charges the plan
    clock.set(START + 15 * DAY);
    await advanceClock(h, account.clockId, START + 15 * DAY);
    await webhooksSettled(h);
    expect(await paidCharges(h, account.customerId)).toEqual([]);
    clock.set(START + 21 * DAY + 3600);
    await advanceClock(h, account.clockId, START + 21 * DAY + 3600);
    await webhooksSettled(h);
    expect((await paidCharges(h, account.customerId)).map((charge) => charge.amount)).toEqual([1900]);

    const notTrialing = await post(path, { trial_end: iso(START + 40 * DAY) });
    expect(notTrialing.status).toBe(409);
    expect(notTrialing.body.error).toMatchObject({ code: 'not_trialing' });
    expect(await auditActions(account.accountId)).toContain('POST /admin/v1/customers/:id/trial succeeded');
  });
});
