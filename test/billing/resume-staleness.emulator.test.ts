import { operations } from '../../src/billing/operation-journal';
import { quotes } from '../../src/billing/quote.repository';
import {
  change,
  paidAccount,
  quote,
  startBillingHarness,
  stripeWrites,
  type BillingHarness,
  type PaidAccount,
} from './support/billing-harness';

/**
 * Staleness is checked after the claim — also when the run that claimed died before its own check.
 * An operation left `claimed` (nothing sent to Stripe) is checked against its quote again by
 * whoever resumes it: the janitor, or the client's retry of the same quote.
 * Stripe docs followed: "Customer credit balance" (docs.stripe.com/billing/customer/balance: the
 * balance is applied to the next finalized invoice, so a balance that moved changes the charge).
 */
let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness();
});
afterAll(async () => h?.close());

/** A seats quote claimed as a crashed request would leave it: claimed, lease lapsed, nothing sent. */
async function claimedAndAbandoned(account: PaidAccount): Promise<{ quoteId: string; operationId: string }> {
  const quoted = await quote(h, account.auth(), { add_ons: [{ code: 'extra_seats', quantity: 3 }] });
  expect(quoted.status).toBe(201);
  const record = await quotes.find(h.db.dataSource, quoted.body.id);
  const operation = await operations.claim(h.db.dataSource, {
    accountId: account.accountId,
    quoteId: record!.id,
    kind: record!.kind,
    stripeParams: record!.stripeParams,
  });
  await h.db.dataSource.query('UPDATE billing_operations SET lease_until = NULL WHERE id = $1', [operation.id]);
  return { quoteId: quoted.body.id, operationId: operation.id };
}

async function stateOf(operationId: string): Promise<{ state: string; status: string | null }> {
  const [row] = await h.db.dataSource.query(
    `SELECT state, result->>'status' AS status FROM billing_operations WHERE id = $1`,
    [operationId],
  );
  return row;
}

/** The customer's balance moves outside the lane (an operator in Stripe's dashboard): the quote is stale. */
const creditInStripe = (account: PaidAccount) =>
  h.stripe.customers.createBalanceTransaction(account.customerId, { amount: -500, currency: 'usd' });

it('the janitor checks a claimed operation again before sending it: stale, it fails and sends nothing', async () => {
  const account = await paidAccount(h);
  const { operationId } = await claimedAndAbandoned(account);
  await creditInStripe(account);
  const before = (await stripeWrites(h)).length;

  await h.billing.finishInterruptedOperations();

  expect(await stateOf(operationId)).toEqual({ state: 'failed', status: 'stale' });
  expect((await stripeWrites(h)).length).toBe(before);
  const subscription = await h.stripe.subscriptions.retrieve(account.subscription.id);
  expect(subscription.items.data).toHaveLength(1);
  // The lane is free again: a new quote goes through.
  const fresh = await quote(h, account.auth(), { add_ons: [{ code: 'extra_seats', quantity: 3 }] });
  expect((await change(h, account.auth(), fresh.body.id)).body.status).toBe('applied');
});

it('a retry of the same quote checks it again too: 409 quote_stale, nothing sent', async () => {
  const account = await paidAccount(h);
  const { quoteId, operationId } = await claimedAndAbandoned(account);
  await creditInStripe(account);
  const before = (await stripeWrites(h)).length;

  const retried = await change(h, account.auth(), quoteId);

  expect(retried.status).toBe(409);
  expect(retried.body.error).toMatchObject({ code: 'quote_stale', reason: 'subscription' });
  expect(await stateOf(operationId)).toEqual({ state: 'failed', status: 'stale' });
  expect((await stripeWrites(h)).length).toBe(before);
});

it('a claimed operation whose quote still holds is rolled forward by the janitor and charged once', async () => {
  const account = await paidAccount(h);
  const { operationId } = await claimedAndAbandoned(account);

  await h.billing.finishInterruptedOperations();

  expect(await stateOf(operationId)).toEqual({ state: 'completed', status: 'applied' });
  const subscription = await h.stripe.subscriptions.retrieve(account.subscription.id);
  expect(subscription.items.data.map((item) => item.quantity).sort()).toEqual([1, 3]);
});
