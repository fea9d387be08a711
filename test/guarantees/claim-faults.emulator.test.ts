import {
  mirroredPlan,
  paidAccount,
  startBillingHarness,
  type BillingHarness,
} from '../billing/support/billing-harness';
import { at, buy, claim, DAY_MS, deliverRefundEvents } from './support/guarantee-harness';

let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness();
});
afterAll(async () => h?.close());

async function refundsOf(chargeId: string) {
  return (await h.stripe.refunds.list({ charge: chargeId, limit: 100 })).data;
}

async function claimState(purchaseId: string) {
  const rows: Array<{ state: string }> = await h.db.dataSource.query(
    'SELECT state FROM refund_claims WHERE purchase_id = $1',
    [purchaseId],
  );
  return rows.map((row) => row.state);
}

describe('a claim interrupted by Stripe', () => {
  it('whose refund answer was lost (503) finishes on a retry with the same key: one refund', async () => {
    const account = await paidAccount(h, { currency: 'usd' });
    const upgrade = await buy(h, account.auth(), { plan: 'premium' });
    at(h, upgrade, DAY_MS);
    await h.emulator.control.injectFault({ method: 'POST', path: '/v1/refunds', kind: 'api_error_500', after: true });

    const first = await claim(h, account.auth(), upgrade.id, 'retry-key');
    expect(first.status).toBe(503);
    expect(await claimState(upgrade.id)).toEqual(['claimed']);
    expect((await refundsOf(upgrade.chargeId)).map((refund) => refund.amount)).toEqual([upgrade.amount]);
    // Stripe's charge.refunded outruns our record of the refund: it still confirms the claim.
    expect(await deliverRefundEvents(h, upgrade.chargeId)).toBe(1);

    const retried = await claim(h, account.auth(), upgrade.id, 'retry-key');
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: 'succeeded', amount: upgrade.amount, confirmed: true });
    expect((await refundsOf(upgrade.chargeId)).map((refund) => refund.amount)).toEqual([upgrade.amount]);
    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'pro', interval: 'month' });
  });

  it('whose reversal failed is finished by the janitor: the plan goes back once, the refund is not repeated', async () => {
    const account = await paidAccount(h, { currency: 'usd' });
    const upgrade = await buy(h, account.auth(), { plan: 'premium' });
    at(h, upgrade, DAY_MS);
    await h.emulator.control.injectFault({ method: 'POST', path: '/v1/subscriptions/*', kind: 'api_error_500' });

    expect((await claim(h, account.auth(), upgrade.id)).status).toBe(503);
    expect(await claimState(upgrade.id)).toEqual(['refunded']);
    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'premium', interval: 'month' });

    expect(await h.services.guarantees?.finishInterruptedClaims()).toMatchObject({ finished: 1, stillFailing: 0 });
    expect(await claimState(upgrade.id)).toEqual(['completed']);
    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'pro', interval: 'month' });
    expect((await refundsOf(upgrade.chargeId)).map((refund) => refund.amount)).toEqual([upgrade.amount]);
  });

  it('refunds only what the charge still holds after a refund made elsewhere', async () => {
    const account = await paidAccount(h, { currency: 'usd' });
    const upgrade = await buy(h, account.auth(), { plan: 'premium' });
    at(h, upgrade, DAY_MS);
    // Someone refunded most of the charge in the Stripe dashboard.
    await h.stripe.refunds.create({ charge: upgrade.chargeId, amount: upgrade.amount - 1 });
    const answer = await claim(h, account.auth(), upgrade.id);
    expect(answer.status).toBe(200);
    expect(answer.body.amount).toBe(1);
    expect((await refundsOf(upgrade.chargeId)).map((refund) => refund.amount).sort()).toEqual(
      [1, upgrade.amount - 1].sort(),
    );
  });
});
