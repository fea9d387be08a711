import request from 'supertest';
import type Stripe from 'stripe';
import { paidAccount, startBillingHarness, type BillingHarness } from '../billing/support/billing-harness';
import { adminAuth } from '../support/tokens';

/**
 * An operator's credit retried under its Idempotency-Key after Stripe's answer was lost (found by
 * the money model, test/money): the key is given back on a 5xx, so the retry runs the request
 * again; it must find the credit the first request journalled, never grant a second one
 * (docs.stripe.com/api/idempotent_requests: the retry is the same request).
 */
let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness();
});
afterAll(async () => h?.close());

const grant = (accountId: string, key: string, amount = 700) =>
  request(h.app)
    .post(`/admin/v1/customers/${accountId}/credits`)
    .set('Authorization', adminAuth)
    .set('Idempotency-Key', key)
    .send({ amount, currency: 'usd', reason: `credit ${key}` });

async function stripeCredits(customerId: string): Promise<number[]> {
  const { data } = await h.stripe.customers.listBalanceTransactions(customerId, { limit: 100 });
  return data.map((transaction) => transaction.amount);
}

const loseTheAnswer = (customerId: string, kind: 'api_error_500' | 'drop_connection', after: boolean) =>
  h.emulator.control.injectFault({
    method: 'POST',
    path: `/v1/customers/${customerId}/balance_transactions`,
    kind,
    after,
    // NOTE: a dropped keep-alive connection is sent again once by the HTTP client (as the money model arms it).
    count: kind === 'drop_connection' ? 2 : 1,
  });

it('a retry after the janitor finished the lost credit answers that credit: Stripe credits once', async () => {
  const paid = await paidAccount(h);
  await loseTheAnswer(paid.customerId, 'api_error_500', true);
  const lost = await grant(paid.accountId, 'credit-after-janitor');
  expect(lost.status).toBe(503);
  const report = await h.billing.finishInterruptedOperations();
  expect(report).toMatchObject({ completed: 1 });

  const retried = await grant(paid.accountId, 'credit-after-janitor');
  expect(retried.status).toBe(200);
  expect(retried.body).toMatchObject({ kind: 'credit', status: 'credited', amount: 700 });
  expect(await stripeCredits(paid.customerId)).toEqual([-700]);
  expect(((await h.stripe.customers.retrieve(paid.customerId)) as Stripe.Customer).balance).toBe(-700);
  const operations = await h.db.dataSource.query(
    `SELECT id, state FROM billing_operations WHERE account_id = $1 AND kind = 'credit'`,
    [paid.accountId],
  );
  expect(operations).toEqual([{ id: retried.body.operation_id, state: 'completed' }]);

  // a new key is a new credit
  expect((await grant(paid.accountId, 'another-credit', 300)).status).toBe(200);
  expect((await stripeCredits(paid.customerId)).sort((a, b) => a - b)).toEqual([-700, -300]);
});

it('a retry at once rolls the interrupted credit forward itself, whether Stripe acted or not', async () => {
  for (const after of [true, false]) {
    const paid = await paidAccount(h);
    await loseTheAnswer(paid.customerId, 'drop_connection', after);
    const lost = await grant(paid.accountId, `credit-at-once-${after}`);
    expect(lost.status).toBe(503);

    const retried = await grant(paid.accountId, `credit-at-once-${after}`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: 'credited', amount: 700, ending_balance: -700 });
    expect(await stripeCredits(paid.customerId)).toEqual([-700]);
    // and once more after the janitor: the same answer, nothing new in Stripe
    await h.billing.finishInterruptedOperations();
    const again = await grant(paid.accountId, `credit-at-once-${after}`);
    expect(again.body.operation_id).toBe(retried.body.operation_id);
    expect(await stripeCredits(paid.customerId)).toEqual([-700]);
  }
});
