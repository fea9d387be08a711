import request from 'supertest';
import {
  START,
  change,
  paidAccount,
  payCheckout,
  quote,
  startBillingHarness,
  stripeWrites,
  type BillingHarness,
} from '../billing/support/billing-harness';
import { freeAccountOnClock, movableClock, webhooksSettled } from '../lifecycle/support/lifecycle-world';
import { adminAuth } from '../support/tokens';

/**
 * An operator's trial extension or receipt retried under its Idempotency-Key after Stripe's answer
 * was lost and the janitor finished the first run: the retry is the same request
 * (docs.stripe.com/api/idempotent_requests), so it answers the operation already made — never a
 * refusal for what the first run did (the trial already later), never a second e-mail.
 */
const clock = movableClock(START);
let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness({ webhooks: true, clock });
});
afterAll(async () => h?.close());

const loseTheAnswer = (path: string) =>
  h.emulator.control.injectFault({ method: 'POST', path, kind: 'api_error_500', after: true });

it('a retried trial extension answers the extension the janitor finished, not 422 trial_end_not_later', async () => {
  clock.set(START);
  const account = await freeAccountOnClock(h, START);
  const changed = await change(h, account.auth, (await quote(h, account.auth, { plan: 'pro' })).body.id);
  expect((await payCheckout(changed.body.checkout_url, 'pm_card_visa')).status).toBe(303);
  await webhooksSettled(h);
  const [subscription] = (await h.stripe.subscriptions.list({ customer: account.customerId })).data;
  expect(subscription).toMatchObject({ status: 'trialing' });
  const later = new Date((subscription!.trial_end! + 7 * 86_400) * 1000).toISOString();
  const extend = () =>
    request(h.app)
      .post(`/admin/v1/customers/${account.accountId}/trial`)
      .set('Authorization', adminAuth)
      .set('Idempotency-Key', `extend-${account.accountId}`)
      .send({ trial_end: later });

  await loseTheAnswer(`/v1/subscriptions/${subscription!.id}`);
  expect((await extend()).status).toBe(503);
  expect(await h.billing.finishInterruptedOperations()).toMatchObject({ completed: 1 });

  const retried = await extend();
  expect(retried.status).toBe(200);
  expect(retried.body).toMatchObject({ kind: 'extend_trial' });
  const after = await h.stripe.subscriptions.retrieve(subscription!.id);
  expect(new Date(after.trial_end! * 1000).toISOString()).toBe(later);
  const operations = await h.db.dataSource.query(
    `SELECT id, state FROM billing_operations WHERE account_id = $1 AND kind = 'extend_trial'`,
    [account.accountId],
  );
  expect(operations).toEqual([{ id: retried.body.operation_id, state: 'completed' }]);
});

it('a retried receipt answers the send the janitor finished and sends nothing more', async () => {
  const paid = await paidAccount(h);
  const [invoice] = (await h.stripe.invoices.list({ customer: paid.customerId, status: 'paid', limit: 1 })).data;
  const path = `/v1/invoices/${invoice!.id}/send`;
  const send = () =>
    request(h.app)
      .post(`/admin/v1/customers/${paid.accountId}/invoices/${invoice!.id}/send`)
      .set('Authorization', adminAuth)
      .set('Idempotency-Key', `receipt-${paid.accountId}`)
      .send({});
  const sends = async () => (await stripeWrites(h, (p) => p === path)).length;

  await loseTheAnswer(path);
  expect((await send()).status).toBe(503);
  await h.billing.finishInterruptedOperations();
  const sentBefore = await sends();

  const retried = await send();
  expect(retried.status).toBe(200);
  expect(retried.body).toMatchObject({ kind: 'send_invoice' });
  expect(await sends()).toBe(sentBefore);
});
