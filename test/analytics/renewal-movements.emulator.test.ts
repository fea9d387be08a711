import request from 'supertest';
import {
  DAY,
  START,
  advanceClock,
  change,
  mirror,
  mirroredPlan,
  paidAccount,
  quote,
  startBillingHarness,
  type BillingHarness,
} from '../billing/support/billing-harness';
import { adminAuth } from '../support/tokens';

/**
 * MRR movements that take effect at a renewal, with no purchase behind them, learned the way
 * production learns them: Stripe's webhooks (shuffled, duplicated) into the subscription mirror.
 * Subscriptions start 1 April 2026 on test clocks; the renewal is 1 May.
 */
let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness({ webhooks: true });
});
afterAll(async () => h?.close());
afterEach(async () => {
  await h.emulator.control.setDeliveryMode({ paused: false, duplicates: 0, shuffle: false });
});

const RENEWAL = START + 30 * DAY;
const APRIL = 'from=2026-04-01T00:00:00Z&to=2026-05-01T00:00:00Z';
const MAY = 'from=2026-05-01T00:00:00Z&to=2026-06-01T00:00:00Z';

const query = <T>(sql: string, params: unknown[] = []): Promise<T[]> => h.db.dataSource.query(sql, params);

/** Until the emulator has delivered everything and the worker has finished every stored event. */
async function webhooksSettled(timeoutMs = 45_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    await h.emulator.control.waitForDeliveries();
    const [open] = await query<{ n: string }>(
      "SELECT count(*) AS n FROM webhook_events WHERE status IN ('received', 'processing', 'failed')",
    );
    if (Number(open?.n) === 0 && (await h.emulator.control.pendingDeliveries()).length === 0) return;
    if (Date.now() > until) throw new Error('webhooks did not settle');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function movements(period: string, currency: string) {
  const res = await request(h.app).get(`/admin/v1/analytics/revenue?${period}`).set('Authorization', adminAuth);
  expect(res.status).toBe(200);
  const inCurrency = (rows: Array<{ currency: string }>) => rows.find((m) => m.currency === currency) ?? null;
  return {
    movements: inCurrency(res.body.movements),
    mrr: (inCurrency(res.body.mrr) as { mrr: number } | null)?.mrr ?? 0,
    collected: inCurrency(res.body.collected),
  };
}

describe('a downgrade scheduled for the renewal', () => {
  it('is contraction when Stripe applies it at the renewal, once, whatever the delivery order', async () => {
    const account = await paidAccount(h, { plan: 'premium' });
    const quoted = await quote(h, account.auth(), { plan: 'pro' });
    expect(quoted.body.change).toMatchObject({ kind: 'downgrade', effective: 'period_end' });
    expect((await change(h, account.auth(), quoted.body.id)).body.status).toBe('scheduled');
    await webhooksSettled();

    await h.emulator.control.setDeliveryMode({ shuffle: true, duplicates: 2 });
    await advanceClock(h, account.clockId, RENEWAL + 3600);
    await webhooksSettled();
    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'pro', interval: 'month' });

    // Premium 4900 → Pro 1900 at the May renewal: contraction 3000 in May, nothing in April.
    expect((await movements(MAY, 'usd')).movements).toEqual({
      currency: 'usd',
      new: 0,
      expansion: 0,
      contraction: 3000,
      churn: 0,
      net: -3000,
    });
    expect((await movements(APRIL, 'usd')).movements).toBeNull();
    expect((await movements(MAY, 'usd')).mrr).toBe(1900);

    // A later sync or an operator's replay of the renewal's events adds nothing.
    await mirror(h, account.subscription.id);
    const [updated] = await query<{ id: string }>(
      `SELECT id FROM webhook_events WHERE type = 'customer.subscription.updated' AND object_id = $1
       ORDER BY created DESC LIMIT 1`,
      [account.subscription.id],
    );
    const replay = await request(h.app)
      .post(`/admin/v1/webhook-events/${updated?.id}/replay`)
      .set('Authorization', adminAuth);
    expect(replay.status).toBeLessThan(300);
    await webhooksSettled();
    expect((await movements(MAY, 'usd')).movements).toMatchObject({ contraction: 3000, net: -3000 });
    const recorded = await query('SELECT * FROM subscription_renewal_changes WHERE subscription_id = $1', [
      account.subscription.id,
    ]);
    expect(recorded).toHaveLength(1);
  });
});

describe('a cancellation at the period end', () => {
  it('is churn when the subscription ends at the renewal, not when it is asked for', async () => {
    const account = await paidAccount(h, { plan: 'pro', currency: 'eur' });
    const cancel = await request(h.app)
      .post('/v1/subscription/cancel')
      .set('Authorization', account.auth())
      .set('Idempotency-Key', `cancel-${account.accountId}`)
      .send({ at_period_end: true });
    expect(cancel.body.status).toBe('cancel_scheduled');
    await webhooksSettled();
    expect((await movements(APRIL, 'eur')).movements).toBeNull();

    await advanceClock(h, account.clockId, RENEWAL + 3600);
    await webhooksSettled();
    expect((await movements(APRIL, 'eur')).movements).toBeNull();
    expect((await movements(MAY, 'eur')).movements).toEqual({
      currency: 'eur',
      new: 0,
      expansion: 0,
      contraction: 0,
      churn: 1900,
      net: -1900,
    });
  });
});

describe('a renewal', () => {
  it('is collected revenue when its invoice is paid, net of a refund of its charge', async () => {
    // GBP so that no other test's money mixes in: Pro 1600 a month.
    const account = await paidAccount(h, { plan: 'pro', currency: 'gbp' });
    await advanceClock(h, account.clockId, RENEWAL + 3600);
    await webhooksSettled();
    expect((await movements(MAY, 'gbp')).collected).toEqual({
      currency: 'gbp',
      purchases: 0,
      renewals: 1600,
      renewal_invoices: 1,
      refunded: 0,
      net: 1600,
    });
    // No MRR movement: a renewal at the same price moves nothing.
    expect((await movements(MAY, 'gbp')).movements).toBeNull();

    const invoices = await h.stripe.invoices.list({ subscription: account.subscription.id, limit: 1 });
    expect(invoices.data[0]?.billing_reason).toBe('subscription_cycle');
    const [renewalCharge] = (await h.stripe.charges.list({ customer: account.customerId, limit: 1 })).data;
    await h.stripe.refunds.create({ charge: renewalCharge?.id ?? '', amount: 500 });
    await webhooksSettled();
    expect((await movements(MAY, 'gbp')).collected).toMatchObject({ renewals: 1600, refunded: 500, net: 1100 });
  });
});
