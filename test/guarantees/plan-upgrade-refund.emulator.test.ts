import request from 'supertest';
import {
  mirroredPlan,
  paidAccount,
  startBillingHarness,
  type BillingHarness,
} from '../billing/support/billing-harness';
import { at, buy, claim, DAY_MS, deliverRefundEvents, writes } from './support/guarantee-harness';

let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness();
});
afterAll(async () => h?.close());

describe('acceptance 1: a plan upgrade refunded under the guarantee', () => {
  it('refunds exactly the upgrade charge, puts the previous plan back without an invoice, and the webhook changes nothing more', async () => {
    const account = await paidAccount(h, { currency: 'usd' });
    const upgrade = await buy(h, account.auth(), { plan: 'premium' });
    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'premium', interval: 'month' });
    const invoicesBefore = (await h.stripe.invoices.list({ customer: account.customerId, limit: 100 })).data.length;
    at(h, upgrade, 3 * DAY_MS);

    const eligibility = await request(h.app).get('/v1/refunds/eligibility').set('Authorization', account.auth());
    expect(eligibility.status).toBe(200);
    expect(eligibility.body.data).toEqual([
      expect.objectContaining({
        purchase_id: upgrade.id,
        product: 'plan:premium',
        eligible: true,
        amount: upgrade.amount,
        currency: 'usd',
        deadline: new Date(upgrade.paidAt.getTime() + 30 * DAY_MS).toISOString(),
      }),
    ]);

    await h.emulator.control.clearRequestLog();
    const refunded = await claim(h, account.auth(), upgrade.id);
    expect(refunded.status).toBe(200);
    expect(refunded.body).toMatchObject({ status: 'succeeded', amount: upgrade.amount, currency: 'usd' });

    const sent = await writes(h);
    const refunds = sent.filter((entry) => entry.path === '/v1/refunds');
    expect(refunds).toHaveLength(1);
    expect(refunds[0]?.params).toMatchObject({ charge: upgrade.chargeId, amount: String(upgrade.amount) });
    const updates = sent.filter((entry) => entry.path.startsWith('/v1/subscriptions/'));
    expect(updates).toHaveLength(1);
    expect(updates[0]?.params).toMatchObject({ proration_behavior: 'none' });
    expect(sent.filter((entry) => entry.path.startsWith('/v1/invoice'))).toEqual([]);
    expect((await h.stripe.invoices.list({ customer: account.customerId, limit: 100 })).data).toHaveLength(
      invoicesBefore,
    );
    const charge = await h.stripe.charges.retrieve(upgrade.chargeId);
    expect(charge.amount_refunded).toBe(upgrade.amount);

    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'pro', interval: 'month' });
    expect((await h.services.usage.entitlements(account.accountId))?.planCode).toBe('pro');

    const shown = await request(h.app).get('/v1/account').set('Authorization', account.auth());
    expect(shown.body.refunds).toEqual([
      expect.objectContaining({ id: refunded.body.id, status: 'succeeded', amount: upgrade.amount, confirmed: false }),
    ]);

    const state = async () => ({
      claims: await h.db.dataSource.query(
        'SELECT id, state, amount, reversal, completed_at FROM refund_claims WHERE account_id = $1',
        [account.accountId],
      ),
      plan: await mirroredPlan(h, account.accountId),
      purchases: await h.db.dataSource.query('SELECT id, refunded_at FROM purchases WHERE account_id = $1', [
        account.accountId,
      ]),
    });
    const before = await state();
    await h.emulator.control.clearRequestLog();
    expect(await deliverRefundEvents(h, upgrade.chargeId)).toBeGreaterThan(0);
    await deliverRefundEvents(h, upgrade.chargeId); // a repeat delivery
    expect(await state()).toEqual(before);
    expect(await writes(h)).toEqual([]);
    const confirmed = await h.db.dataSource.query('SELECT confirmed_at FROM refund_claims WHERE id = $1', [
      refunded.body.id,
    ]);
    expect(confirmed[0].confirmed_at).toBeInstanceOf(Date);
  });
});
