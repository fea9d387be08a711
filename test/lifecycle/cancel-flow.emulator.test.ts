import crypto from 'node:crypto';
import request from 'supertest';
import {
  MIDDLE,
  freeAccount,
  paidAccount,
  startBillingHarness,
  type BillingHarness,
} from '../billing/support/billing-harness';
import { serverAuth } from '../support/tokens';
import { movableClock, outboundEvents } from './support/lifecycle-world';

/** The cancel flow (issue #20): a preview with a real alternative, then one request cancels. */
const clock = movableClock(MIDDLE);
let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness({ clock });
});
afterAll(async () => h?.close());

async function useOf(accountId: string, levels: Record<string, number>): Promise<void> {
  const at = new Date((MIDDLE - 3600) * 1000).toISOString();
  const events = Object.entries(levels).map(([feature, quantity]) => ({
    id: crypto.randomUUID(),
    account_id: accountId,
    feature,
    quantity,
    action: ['api_calls', 'exports'].includes(feature) ? 'increment' : 'set',
    timestamp: at,
  }));
  const res = await request(h.app).post('/v1/usage').set('Authorization', serverAuth).send({ events });
  expect(res.status).toBe(200);
  expect(res.body.accepted).toBe(events.length);
}

/** 30% of Pro's limits (projects 25, seats 10, api_calls 50,000, storage 50 GB, exports 500). */
const THIRTY_PERCENT_OF_PRO = { projects: 7, seats: 3, api_calls: 15_000, storage_gb: 15, exports: 150 };

const preview = (auth: string) => request(h.app).get('/v1/subscription/cancel-preview').set('Authorization', auth);
const cancel = (auth: string, body: object) =>
  request(h.app)
    .post('/v1/subscription/cancel')
    .set('Authorization', auth)
    .set('Idempotency-Key', crypto.randomUUID())
    .send(body);

describe('cancel preview', () => {
  it('offers a Premium account using 30% of Pro the Pro plan at its exact price; one request then cancels', async () => {
    const account = await paidAccount(h, { plan: 'premium' });
    await useOf(account.accountId, THIRTY_PERCENT_OF_PRO);

    const shown = await preview(account.auth());
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual({
      subscription: expect.objectContaining({ id: account.subscription.id, plan: 'premium', status: 'active' }),
      cancel: { at_period_end: true, effective_at: shown.body.subscription.current_period_end },
      alternatives: [
        {
          kind: 'smaller_plan',
          plan: 'pro',
          interval: 'month',
          price: { amount: 1900, currency: 'usd' },
          fits_usage: true,
        },
      ],
    });

    const cancelled = await cancel(account.auth(), { reason: 'too_expensive', reason_text: 'Budget cut' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancel_scheduled', effective_at: shown.body.cancel.effective_at });
    const rows = await h.db.dataSource.query(
      'SELECT plan_code, reason, reason_text FROM subscription_cancellations WHERE account_id = $1',
      [account.accountId],
    );
    expect(rows).toEqual([{ plan_code: 'premium', reason: 'too_expensive', reason_text: 'Budget cut' }]);
    const events = (await outboundEvents(h, account.accountId)).filter((e) => e.type === 'subscription.canceled');
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toMatchObject({
      plan_code: 'premium',
      cancel_at_period_end: true,
      reason: 'too_expensive',
      reason_text: 'Budget cut',
    });
    expect(new Date(String(events[0]?.data.ends_at)).toISOString()).toBe(shown.body.cancel.effective_at);
    const previews = await h.db.dataSource.query(
      'SELECT plan_code, alternative_plan FROM cancel_previews WHERE account_id = $1',
      [account.accountId],
    );
    expect(previews).toEqual([{ plan_code: 'premium', alternative_plan: 'pro' }]);
  });

  it("prices the alternative in the account's currency and interval", async () => {
    const account = await paidAccount(h, { plan: 'premium', currency: 'jpy', interval: 'year' });
    await useOf(account.accountId, THIRTY_PERCENT_OF_PRO);
    const shown = await preview(account.auth());
    expect(shown.body.alternatives).toEqual([
      {
        kind: 'smaller_plan',
        plan: 'pro',
        interval: 'year',
        price: { amount: 28000, currency: 'jpy' },
        fits_usage: true,
      },
    ]);
  });

  it('offers nothing that would not hold current usage, and cancels without a reason', async () => {
    const bigPremium = await paidAccount(h, { plan: 'premium' });
    await useOf(bigPremium.accountId, { projects: 30 });
    expect((await preview(bigPremium.auth())).body.alternatives).toEqual([]);
    // Pro at 30%: Free (3 projects) does not hold 7 projects, and Free is what cancelling gives anyway.
    const pro = await paidAccount(h, { plan: 'pro' });
    await useOf(pro.accountId, THIRTY_PERCENT_OF_PRO);
    expect((await preview(pro.auth())).body.alternatives).toEqual([]);
    const cancelled = await cancel(pro.auth(), {});
    expect(cancelled.body.status).toBe('cancel_scheduled');
    const rows = await h.db.dataSource.query('SELECT reason FROM subscription_cancellations WHERE account_id = $1', [
      pro.accountId,
    ]);
    expect(rows).toEqual([{ reason: null }]);
  });

  it('answers bad input with a 4xx and writes nothing', async () => {
    const account = await paidAccount(h, { plan: 'pro' });
    expect(
      (await request(h.app).get('/v1/subscription/cancel-preview?dry=1').set('Authorization', account.auth())).status,
    ).toBe(422);
    expect((await cancel(account.auth(), { reason: 'bored' })).status).toBe(422);
    expect((await cancel(account.auth(), { reason: 'other', reason_text: 'x'.repeat(501) })).status).toBe(422);
    const rows = await h.db.dataSource.query('SELECT 1 FROM subscription_cancellations WHERE account_id = $1', [
      account.accountId,
    ]);
    expect(rows).toEqual([]);
    const free = await freeAccount(h);
    expect((await preview(free.auth)).status).toBe(404);
  });
});
