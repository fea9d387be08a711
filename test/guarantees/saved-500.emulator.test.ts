import {
  mirroredPlan,
  paidAccount,
  startBillingHarness,
  type BillingHarness,
} from '../billing/support/billing-harness';
import { at, buy, claim, DAY_MS } from './support/guarantee-harness';

let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness();
});
afterAll(async () => h?.close());

// docs.stripe.com/api/idempotent_requests and STRIPE.md: once a request began executing its result
// is saved under the idempotency key, 500 errors included, and replayed for that key. A claim whose
// refund met such a 500 must not send that key again (it would get the 500 forever): the resumed
// run asks Stripe whether the refund exists and refunds under a key of its own run.
describe('a refund that met a 500 Stripe saved', () => {
  it('is finished by the janitor with exactly one refund, and the plan goes back once', async () => {
    const account = await paidAccount(h, { currency: 'usd' });
    const upgrade = await buy(h, account.auth(), { plan: 'premium' });
    at(h, upgrade, DAY_MS);
    await h.emulator.control.injectFault({ method: 'POST', path: '/v1/refunds', kind: 'api_error_500' });

    expect((await claim(h, account.auth(), upgrade.id)).status).toBe(503);
    expect((await h.stripe.refunds.list({ charge: upgrade.chargeId })).data).toHaveLength(0);

    expect(await h.services.guarantees?.finishInterruptedClaims()).toMatchObject({ finished: 1, stillFailing: 0 });
    const refunds = (await h.stripe.refunds.list({ charge: upgrade.chargeId })).data;
    expect(refunds.map((refund) => refund.amount)).toEqual([upgrade.amount]);
    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'pro', interval: 'month' });
    const log = await h.emulator.control.requestLog({ method: 'POST', path: '/v1/refunds' });
    expect(log.map((entry) => entry.status)).toEqual([500, 200]);
    expect(new Set(log.map((entry) => entry.idempotencyKey)).size).toBe(2);
  });
});
