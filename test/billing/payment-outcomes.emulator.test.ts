import request from 'supertest';
import {
  MIDDLE,
  advanceClock,
  change,
  mirroredPlan,
  paidAccount,
  quote,
  startBillingHarness,
  useCard,
  type BillingHarness,
} from './support/billing-harness';

let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness();
});
afterAll(async () => h?.close());

async function entitledPlan(auth: string): Promise<string> {
  const response = await request(h.app).get('/v1/entitlements').set('Authorization', auth);
  return response.body.plan;
}

describe('acceptance 2: entitlements follow the paid state only', () => {
  it('leaves plan and entitlements unchanged when the card is declined', async () => {
    const account = await paidAccount(h);
    await useCard(h, account.customerId, 'pm_card_chargeDeclined');
    const quoted = await quote(h, account.auth(), { plan: 'premium' });
    const changed = await change(h, account.auth(), quoted.body.id);
    expect(changed.status).toBe(200);
    expect(changed.body.status).toBe('requires_payment_method');
    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'pro', interval: 'month' });
    expect(await entitledPlan(account.auth())).toBe('pro');
    const purchases = await h.db.dataSource.query('SELECT id FROM purchases WHERE account_id = $1', [
      account.accountId,
    ]);
    expect(purchases).toHaveLength(0);
  });

  it('keeps the old plan when the pending update expires, and the janitor closes the change', async () => {
    const account = await paidAccount(h);
    await useCard(h, account.customerId, 'pm_card_chargeDeclined');
    const quoted = await quote(h, account.auth(), { plan: 'premium' });
    const changed = await change(h, account.auth(), quoted.body.id);
    expect(changed.body.status).toBe('requires_payment_method');
    await advanceClock(h, account.clockId, MIDDLE + 24 * 3600);
    await h.billing.finishInterruptedOperations();
    const [operation] = await h.db.dataSource.query('SELECT state, result FROM billing_operations WHERE id = $1', [
      changed.body.operation_id,
    ]);
    expect(operation).toMatchObject({ state: 'failed', result: { status: 'expired' } });
    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'pro', interval: 'month' });
    expect(await entitledPlan(account.auth())).toBe('pro');
  });

  it('asks for 3-D Secure and switches the plan only once authentication completes', async () => {
    const account = await paidAccount(h);
    await useCard(h, account.customerId, 'pm_card_authenticationRequired');
    const quoted = await quote(h, account.auth(), { plan: 'premium' });
    const changed = await change(h, account.auth(), quoted.body.id);
    expect(changed.body.status).toBe('requires_action');
    expect(changed.body.client_secret).toMatch(/^pi_.+_secret_/);
    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'pro', interval: 'month' });
    expect(await entitledPlan(account.auth())).toBe('pro');

    const paymentIntentId = String(changed.body.client_secret).split('_secret_')[0] ?? '';
    await h.emulator.control.completeAuthentication(paymentIntentId);
    const shown = await request(h.app)
      .get(`/v1/changes/${changed.body.operation_id}`)
      .set('Authorization', account.auth());
    expect(shown.body).toMatchObject({ status: 'applied', amount_charged: quoted.body.amount_due_now });
    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'premium', interval: 'month' });
    expect(await entitledPlan(account.auth())).toBe('premium');
  });

  it('completes a change whose 3-D Secure finishes between the reads of the refresh, never expiring it', async () => {
    const account = await paidAccount(h);
    await useCard(h, account.customerId, 'pm_card_authenticationRequired');
    const quoted = await quote(h, account.auth(), { plan: 'premium' });
    const changed = await change(h, account.auth(), quoted.body.id);
    expect(changed.body.status).toBe('requires_action');
    const paymentIntentId = String(changed.body.client_secret).split('_secret_')[0] ?? '';
    // The refresh's subscription read waits 2 s before Stripe answers; the customer authenticates meanwhile.
    await h.emulator.control.injectFault({
      method: 'GET',
      path: `/v1/subscriptions/${account.subscription.id}`,
      kind: 'delay',
      delayMs: 2000,
    });
    const refreshing = request(h.app)
      .get(`/v1/changes/${changed.body.operation_id}`)
      .set('Authorization', account.auth())
      .then((response) => response);
    await new Promise((resolve) => setTimeout(resolve, 600));
    await h.emulator.control.completeAuthentication(paymentIntentId);
    const refreshed = await refreshing;
    const shown = await request(h.app)
      .get(`/v1/changes/${changed.body.operation_id}`)
      .set('Authorization', account.auth());
    expect([refreshed.body.status, shown.body.status]).not.toContain('expired');
    expect(shown.body).toMatchObject({ status: 'applied', amount_charged: quoted.body.amount_due_now });
    const purchases = await h.db.dataSource.query('SELECT id FROM purchases WHERE operation_id = $1', [
      changed.body.operation_id,
    ]);
    expect(purchases).toHaveLength(1);
  });
});
