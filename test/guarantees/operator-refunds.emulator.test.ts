import request from 'supertest';
import {
  mirroredPlan,
  paidAccount,
  startBillingHarness,
  type BillingHarness,
} from '../billing/support/billing-harness';
import { adminAuth } from '../support/tokens';
import { at, buy, claim, DAY_MS } from './support/guarantee-harness';

let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness();
});
afterAll(async () => h?.close());

function manualRefund(body: object, auth = adminAuth) {
  return request(h.app).post('/admin/v1/refunds').set('Authorization', auth).send(body);
}

describe('operators', () => {
  it('read the guarantee policies', async () => {
    const answer = await request(h.app).get('/admin/v1/guarantees/policies').set('Authorization', adminAuth);
    expect(answer.status).toBe(200);
    expect(answer.body.policies.plan_upgrade).toMatchObject({ window_days: 30 });
  });

  it('refund outside the policy with a reason, audit-logged, never beyond what the charge still holds', async () => {
    const account = await paidAccount(h, { currency: 'usd' });
    const upgrade = await buy(h, account.auth(), { plan: 'premium' });
    at(h, upgrade, 60 * DAY_MS);
    expect((await claim(h, account.auth(), upgrade.id)).body.error.code).toBe('window_closed');
    expect((await manualRefund({ purchase_id: upgrade.id, reason: 'goodwill' })).body.error.code).toBe('window_closed');

    const refunded = await manualRefund({
      purchase_id: upgrade.id,
      reason: 'goodwill after an outage',
      amount: upgrade.amount * 10,
      outside_policy: true,
      reverse: false,
    });
    expect(refunded.status).toBe(200);
    expect(refunded.body).toMatchObject({ amount: upgrade.amount, source: 'operator', within_policy: false });
    expect((await h.stripe.charges.retrieve(upgrade.chargeId)).amount_refunded).toBe(upgrade.amount);
    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'premium', interval: 'month' });
    const [purchase] = await h.db.dataSource.query('SELECT refunded_at FROM purchases WHERE id = $1', [upgrade.id]);
    expect(purchase.refunded_at).toBeNull();
    const audit = await h.db.dataSource.query(
      'SELECT actor, action, reason FROM refund_audit_log WHERE claim_id = $1 ORDER BY id',
      [refunded.body.id],
    );
    expect(audit).toEqual([
      { actor: 'admin', action: 'manual_refund_outside_policy', reason: 'goodwill after an outage' },
      { actor: 'admin', action: 'refund_completed', reason: 'goodwill after an outage' },
    ]);
    const again = await manualRefund({ purchase_id: upgrade.id, reason: 'twice', outside_policy: true });
    expect(again.status).toBe(422);
    expect(again.body.error.code).toBe('nothing_to_refund');

    const listed = await request(h.app)
      .get(`/admin/v1/refunds?account_id=${account.accountId}`)
      .set('Authorization', adminAuth);
    expect(listed.body.data.map((row: { id: string }) => row.id)).toEqual([refunded.body.id]);
  });

  it('are the only ones who may use the operator routes', async () => {
    const account = await paidAccount(h, { currency: 'usd' });
    expect((await request(h.app).get('/admin/v1/refunds').set('Authorization', account.auth())).status).toBe(403);
    expect((await manualRefund({ purchase_id: 'pur_x', reason: 'x' }, account.auth())).status).toBe(403);
  });
});
