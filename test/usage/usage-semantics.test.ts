import request from 'supertest';
import { addMonthsClamped } from '../../src/usage/billing-period';
import { createTestApp, type TestApp } from '../support/test-app';
import { bearer, userToken } from '../support/tokens';
import {
  DAY,
  createAccount,
  daysAgo,
  daysAhead,
  mirrorSubscription,
  postUsage,
  usageEvent,
} from './support/usage-fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function entitlement(accountId: string, feature: string) {
  const res = await request(t.app)
    .get(`/v1/entitlements/${feature}`)
    .set('Authorization', bearer(userToken(accountId)));
  expect(res.status).toBe(200);
  return res.body;
}

const counterRows = (accountId: string) =>
  t.db.dataSource.query(
    'SELECT period_start, used::int AS used FROM usage_counters WHERE account_id = $1 ORDER BY period_start',
    [accountId],
  );

describe('set versus increment', () => {
  it('adds increments to a counter and keeps the latest set of a gauge', async () => {
    await createAccount(t, 'acct_sem');
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60000).toISOString();
    const res = await postUsage(t, {
      events: [
        usageEvent('acct_sem', { feature: 'api_calls', quantity: 10, timestamp: at(3) }),
        usageEvent('acct_sem', { feature: 'api_calls', quantity: 5, timestamp: at(2) }),
        usageEvent('acct_sem', { feature: 'seats', action: 'set', quantity: 2, timestamp: at(3) }),
        usageEvent('acct_sem', { feature: 'seats', action: 'set', quantity: 1, timestamp: at(1) }),
      ],
    });
    expect(res.body).toMatchObject({ accepted: 4, duplicates: 0, rejected: [] });
    expect((await entitlement('acct_sem', 'api_calls')).used).toBe(15);
    expect((await entitlement('acct_sem', 'seats')).used).toBe(1);
  });

  it('does not let a late set with an older timestamp override a newer one', async () => {
    await createAccount(t, 'acct_lww');
    const newer = new Date(Date.now() - 60000).toISOString();
    const older = new Date(Date.now() - 3600000).toISOString();
    await postUsage(t, {
      events: [usageEvent('acct_lww', { feature: 'projects', action: 'set', quantity: 3, timestamp: newer })],
    });
    const late = await postUsage(t, {
      events: [usageEvent('acct_lww', { feature: 'projects', action: 'set', quantity: 1, timestamp: older })],
    });
    expect(late.body.accepted).toBe(1);
    expect((await entitlement('acct_lww', 'projects')).used).toBe(3);
    const newest = new Date(Date.now() - 1000).toISOString();
    await postUsage(t, {
      events: [usageEvent('acct_lww', { feature: 'projects', action: 'set', quantity: 2, timestamp: newest })],
    });
    expect((await entitlement('acct_lww', 'projects')).used).toBe(2);
  });

  it('refuses an increment on a gauge and a set on a counter', async () => {
    await createAccount(t, 'acct_kind');
    const res = await postUsage(t, {
      events: [
        usageEvent('acct_kind', { feature: 'seats', action: 'increment' }),
        usageEvent('acct_kind', { feature: 'api_calls', action: 'set' }),
      ],
    });
    expect(res.body.accepted).toBe(0);
    expect(res.body.rejected.map((r: { index: number; error: { code: string } }) => [r.index, r.error.code])).toEqual([
      [0, 'action_not_supported'],
      [1, 'action_not_supported'],
    ]);
  });
});

describe('billing periods', () => {
  it('rolls counters over at the subscription renewal while gauges carry over', async () => {
    await createAccount(t, 'acct_roll', daysAgo(90));
    const anchor = daysAgo(40);
    const renewal = new Date(anchor.getTime() + 30 * DAY);
    // Before the renewal is mirrored: the current period is [anchor, anchor + 30 days).
    await mirrorSubscription(t, {
      accountId: 'acct_roll',
      planCode: 'pro',
      anchor,
      periodStart: anchor,
      periodEnd: renewal,
    });
    await postUsage(t, {
      events: [
        usageEvent('acct_roll', { quantity: 400, timestamp: new Date(renewal.getTime() - DAY).toISOString() }),
        usageEvent('acct_roll', {
          feature: 'seats',
          action: 'set',
          quantity: 4,
          timestamp: new Date(renewal.getTime() - DAY).toISOString(),
        }),
      ],
    });
    // The renewal, as the webhook mirrors it: the next period begins at `renewal`.
    const next = new Date(renewal.getTime() + 30 * DAY);
    await mirrorSubscription(t, {
      accountId: 'acct_roll',
      planCode: 'pro',
      anchor,
      periodStart: renewal,
      periodEnd: next,
    });
    const fresh = await entitlement('acct_roll', 'api_calls');
    expect(fresh).toMatchObject({
      used: 0,
      limit: 50000,
      period_start: renewal.toISOString(),
      period_end: next.toISOString(),
    });
    expect((await entitlement('acct_roll', 'seats')).used).toBe(4);

    await postUsage(t, { events: [usageEvent('acct_roll', { quantity: 7 })] });
    expect((await entitlement('acct_roll', 'api_calls')).used).toBe(7);
    expect(await counterRows('acct_roll')).toEqual([
      { period_start: anchor, used: 400 },
      { period_start: renewal, used: 7 },
    ]);
  });

  it('counts events after the period end in the next period even before the renewal is mirrored', async () => {
    await createAccount(t, 'acct_early', daysAgo(90));
    const end = daysAgo(2);
    const anchor = addMonthsClamped(end, -1);
    await mirrorSubscription(t, {
      accountId: 'acct_early',
      planCode: 'pro',
      anchor,
      periodStart: anchor,
      periodEnd: end,
    });
    await postUsage(t, { events: [usageEvent('acct_early', { quantity: 9 })] });
    const next = addMonthsClamped(anchor, 2);
    await mirrorSubscription(t, {
      accountId: 'acct_early',
      planCode: 'pro',
      anchor,
      periodStart: end,
      periodEnd: next,
    });
    expect(await entitlement('acct_early', 'api_calls')).toMatchObject({ used: 9, period_start: end.toISOString() });
  });

  it('puts a late event in the period its timestamp belongs to, not the current one', async () => {
    await createAccount(t, 'acct_late', daysAgo(90));
    const periodStart = daysAgo(10);
    const anchor = new Date(periodStart.getTime() - 60 * DAY);
    await mirrorSubscription(t, {
      accountId: 'acct_late',
      planCode: 'pro',
      anchor,
      periodStart,
      periodEnd: daysAhead(20),
    });
    await postUsage(t, {
      events: [
        usageEvent('acct_late', { quantity: 3 }),
        usageEvent('acct_late', { quantity: 50, timestamp: daysAgo(12).toISOString() }),
      ],
    });
    expect((await entitlement('acct_late', 'api_calls')).used).toBe(3);
    const rows = await counterRows('acct_late');
    expect(rows).toHaveLength(2);
    expect(rows[0].used).toBe(50);
    expect(rows[0].period_start.getTime()).toBeLessThan(periodStart.getTime());
    expect(rows[1]).toEqual({ period_start: periodStart, used: 3 });
  });

  it('gives a free account monthly periods from its sign-up anniversary', async () => {
    const signedUp = new Date(Date.UTC(2026, 0, 31, 9, 30));
    await createAccount(t, 'acct_free', signedUp);
    const body = await entitlement('acct_free', 'api_calls');
    const start = new Date(body.period_start);
    const end = new Date(body.period_end);
    expect(start.getTime()).toBeLessThanOrEqual(Date.now());
    expect(end.getTime()).toBeGreaterThan(Date.now());
    expect(start.getUTCHours()).toBe(9);
    expect(start.getUTCMinutes()).toBe(30);
    const lastDay = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0)).getUTCDate();
    expect(start.getUTCDate()).toBe(Math.min(31, lastDay));
    expect(body.limit).toBe(1000);
  });
});
