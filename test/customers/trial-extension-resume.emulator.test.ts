import request from 'supertest';
import { operations } from '../../src/billing/operation-journal';
import {
  DAY,
  START,
  advanceClock,
  change,
  paidCharges,
  payCheckout,
  quote,
  startBillingHarness,
  type BillingHarness,
} from '../billing/support/billing-harness';
import { freeAccountOnClock, movableClock, webhooksSettled } from '../lifecycle/support/lifecycle-world';
import { adminAuth } from '../support/tokens';

/**
 * A trial extension interrupted before Stripe acted (a 500), resumed by the janitor only after the
 * trial ended and the first charge was made (found by the money model, test/money:
 * trial_first_charge). Setting `trial_end` on a subscription that is no longer trialing would start
 * a new free period and re-anchor its cycle there, so the customer would pay for the same time
 * twice (docs.stripe.com/billing/subscriptions/trials): the resumed extension fails, sending nothing.
 * Resumed while the trial still runs, it is made; found already made (the answer lost), it completes.
 */
const clock = movableClock(START);
let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness({ webhooks: true, clock });
});
afterAll(async () => h?.close());

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

async function trialing() {
  clock.set(START);
  const account = await freeAccountOnClock(h, START);
  const quoted = await quote(h, account.auth, { plan: 'pro' });
  const changed = await change(h, account.auth, quoted.body.id);
  expect((await payCheckout(changed.body.checkout_url, 'pm_card_visa')).status).toBe(303);
  await webhooksSettled(h);
  const [subscription] = (await h.stripe.subscriptions.list({ customer: account.customerId })).data;
  expect(subscription).toMatchObject({ status: 'trialing' });
  return { ...account, subscription: subscription!.id, trialEnd: subscription!.trial_end! };
}

const extend = (accountId: string, trialEnd: number) =>
  request(h.app)
    .post(`/admin/v1/customers/${accountId}/trial`)
    .set('Authorization', adminAuth)
    .send({ trial_end: iso(trialEnd) });

const interruptNextUpdate = (subscription: string, after = false) =>
  h.emulator.control.injectFault({
    method: 'POST',
    path: `/v1/subscriptions/${subscription}`,
    kind: 'api_error_500',
    after,
  });

const operationOf = async (accountId: string) =>
  (
    await h.db.dataSource.query(
      `SELECT state, result FROM billing_operations WHERE account_id = $1 AND kind = 'extend_trial'`,
      [accountId],
    )
  )[0];

/** Every clock moves to `at`; the charges made by then are one: the first cycle's 19.00. */
async function chargedOnceBy(account: { clockId: string; customerId: string }, at: number) {
  clock.set(at);
  await advanceClock(h, account.clockId, at);
  await webhooksSettled(h);
  expect((await paidCharges(h, account.customerId)).map((charge) => charge.amount)).toEqual([1900]);
}

/** The janitor finds the trial over: the extension fails, sending nothing; the trial stays as it ended. */
async function janitorRefusesTheExtension(account: { accountId: string; subscription: string; trialEnd: number }) {
  await h.billing.finishInterruptedOperations();
  expect(await operationOf(account.accountId)).toMatchObject({
    state: 'failed',
    result: { status: 'not_applied', reason: 'not_trialing' },
  });
  expect(await h.stripe.subscriptions.retrieve(account.subscription)).toMatchObject({
    status: 'active',
    trial_end: account.trialEnd,
  });
}

it('resumed after the trial ended and was charged, the extension fails and charges nothing more', async () => {
  const account = await trialing();
  await interruptNextUpdate(account.subscription);
  expect((await extend(account.accountId, account.trialEnd + 2 * DAY)).status).toBe(503);

  // the trial ends at its old date, the first charge is made; only then the janitor runs
  await chargedOnceBy(account, account.trialEnd + DAY);
  await janitorRefusesTheExtension(account);

  // the day the extension would have ended passes without a second charge
  await chargedOnceBy(account, account.trialEnd + 3 * DAY);
});

it('resumed while the trial runs, it is made; found made after a lost answer, it completes as it is', async () => {
  for (const after of [false, true]) {
    const account = await trialing();
    await interruptNextUpdate(account.subscription, after);
    expect((await extend(account.accountId, account.trialEnd + 2 * DAY)).status).toBe(503);
    await h.billing.finishInterruptedOperations();
    expect(await operationOf(account.accountId)).toMatchObject({
      state: 'completed',
      result: { status: 'trial_extended', trial_end: iso(account.trialEnd + 2 * DAY) },
    });
    const subscription = await h.stripe.subscriptions.retrieve(account.subscription);
    expect(subscription).toMatchObject({ status: 'trialing', trial_end: account.trialEnd + 2 * DAY });
    expect(await paidCharges(h, account.customerId)).toEqual([]);
  }
});

it('claimed by a process that died before its first Stripe call, resumed after the first charge: fails, charges nothing more', async () => {
  // found by the money model's crash after the claim (test/money/money-crash-steps.ts): a run
  // resumed from `claimed` had never read the trial again, so it re-opened a trial already charged
  const account = await trialing();
  const wanted = account.trialEnd + 2 * DAY;
  const claimed = await operations.claim(h.db.dataSource, {
    accountId: account.accountId,
    quoteId: null,
    kind: 'extend_trial',
    stripeParams: {
      subscription: account.subscription,
      trial_end: wanted,
      previous_trial_end: account.trialEnd,
      operator: { id: 'root', name: 'root' },
    },
  });
  await h.db.dataSource.query('UPDATE billing_operations SET lease_until = NULL WHERE id = $1', [claimed.id]);

  await chargedOnceBy(account, account.trialEnd + DAY);
  await janitorRefusesTheExtension(account);
  await chargedOnceBy(account, wanted + DAY);
});
