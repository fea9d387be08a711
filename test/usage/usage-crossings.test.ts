import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app';
import { adminAuth, bearer, serverAuth, userToken } from '../support/tokens';
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

interface CrossingRow {
  feature: string;
  threshold: number;
  used: string;
  limit_value: string;
  period_start: Date;
  projected_total: string;
  projected_limit_at: Date | null;
}
const crossings = (accountId: string): Promise<CrossingRow[]> =>
  t.db.dataSource.query(
    'SELECT * FROM usage_threshold_crossings WHERE account_id = $1 ORDER BY period_start, feature, threshold',
    [accountId],
  );

describe('threshold crossings', () => {
  it('records each threshold once per period as usage climbs, with used, limit and projection', async () => {
    await createAccount(t, 'acct_th', daysAgo(60));
    const periodStart = daysAgo(10);
    await mirrorSubscription(t, {
      accountId: 'acct_th',
      planCode: 'pro',
      anchor: daysAgo(40),
      periodStart,
      periodEnd: daysAhead(20),
    });
    // pro: api_calls 50,000 — 40% then 60% then 70% then 90%.
    for (const quantity of [20000, 10000, 5000, 10000]) {
      await postUsage(t, { events: [usageEvent('acct_th', { quantity })] }).expect(200);
    }
    const rows = await crossings('acct_th');
    expect(rows.map((r) => [r.threshold, Number(r.used), Number(r.limit_value)])).toEqual([
      [50, 30000, 50000],
      [80, 45000, 50000],
    ]);
    // 30,000 in a third of the period → about 90,000 by its end, the limit hit around day 17 of 30.
    const first = rows[0] as CrossingRow;
    expect(Number(first.projected_total)).toBeGreaterThan(89000);
    expect(Number(first.projected_total)).toBeLessThan(91000);
    const limitDay = ((first.projected_limit_at as Date).getTime() - periodStart.getTime()) / DAY;
    expect(limitDay).toBeGreaterThan(16);
    expect(limitDay).toBeLessThan(17.5);
  });

  it('records every threshold a single batch jumps over, each once, even when the batch is sent again and again', async () => {
    await createAccount(t, 'acct_jump');
    const batch = { events: [usageEvent('acct_jump', { quantity: 600 }), usageEvent('acct_jump', { quantity: 500 })] }; // free: 1,000
    const results = await Promise.all([1, 2, 3, 4].map(() => postUsage(t, batch)));
    expect(results.reduce((n, r) => n + r.body.accepted, 0)).toBe(2);
    await postUsage(t, { events: [usageEvent('acct_jump', { quantity: 10 })] });
    const rows = await crossings('acct_jump');
    expect(rows.map((r) => [r.feature, r.threshold, Number(r.used)])).toEqual([
      ['api_calls', 50, 1100],
      ['api_calls', 80, 1100],
      ['api_calls', 100, 1100],
    ]);
    expect(rows.every((r) => r.projected_limit_at !== null)).toBe(true);
  });

  it('records a threshold once under concurrent batches that together cross it', async () => {
    await createAccount(t, 'acct_race');
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        postUsage(t, {
          events: Array.from({ length: 20 }, (_, j) => usageEvent('acct_race', { id: `race_${i}_${j}`, quantity: 5 })),
        }),
      ),
    );
    const rows = await crossings('acct_race');
    expect(rows.map((r) => r.threshold)).toEqual([50, 80]); // 800 of 1,000
  });

  it('records the same threshold again in the next period, and gauge levels once per period', async () => {
    await createAccount(t, 'acct_next', daysAgo(90));
    const anchor = daysAgo(45);
    const renewal = new Date(anchor.getTime() + 30 * DAY);
    await mirrorSubscription(t, {
      accountId: 'acct_next',
      planCode: 'pro',
      anchor,
      periodStart: renewal,
      periodEnd: new Date(renewal.getTime() + 30 * DAY),
    });
    await postUsage(t, {
      events: [
        usageEvent('acct_next', {
          feature: 'exports',
          quantity: 300,
          timestamp: new Date(renewal.getTime() - DAY).toISOString(),
        }),
        usageEvent('acct_next', { feature: 'exports', quantity: 300 }),
        usageEvent('acct_next', { feature: 'seats', action: 'set', quantity: 6, timestamp: daysAgo(1).toISOString() }),
        usageEvent('acct_next', { feature: 'seats', action: 'set', quantity: 7 }),
      ],
    });
    await postUsage(t, { events: [usageEvent('acct_next', { feature: 'seats', action: 'set', quantity: 5 })] });
    const rows = await crossings('acct_next');
    expect(
      rows.map((r) => [r.feature, r.threshold, r.period_start.getTime() < renewal.getTime() ? 'previous' : 'current']),
    ).toEqual([
      ['exports', 50, 'previous'],
      ['exports', 50, 'current'],
      ['seats', 50, 'current'],
    ]);
  });

  it('records a gauge crossing when a set raises the level past a threshold, once per period', async () => {
    await createAccount(t, 'acct_gauge');
    await mirrorSubscription(t, {
      accountId: 'acct_gauge',
      planCode: 'pro',
      anchor: daysAgo(5),
      periodStart: daysAgo(5),
      periodEnd: daysAhead(25),
    });
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60000).toISOString();
    // pro: 10 seats — 40%, 60%, 30%, 90%, 60%.
    for (const [quantity, m] of [
      [4, 5],
      [6, 4],
      [3, 3],
      [9, 2],
      [6, 1],
    ] as const) {
      await postUsage(t, {
        events: [usageEvent('acct_gauge', { feature: 'seats', action: 'set', quantity, timestamp: minutesAgo(m) })],
      });
    }
    const rows = await crossings('acct_gauge');
    expect(rows.map((r) => [r.threshold, Number(r.used)])).toEqual([
      [50, 6],
      [80, 9],
    ]);
  });

  it('exposes crossings and projections to operators, not to the server key or end users', async () => {
    const res = await request(t.app).get('/admin/v1/accounts/acct_th/usage').set('Authorization', adminAuth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: 'usage_report', account_id: 'acct_th', plan: 'pro' });
    expect(res.body.crossings.map((c: { threshold: number }) => c.threshold)).toEqual([80, 50]);
    const apiCalls = res.body.projections.find((p: { feature: string }) => p.feature === 'api_calls');
    expect(apiCalls).toMatchObject({ used: 45000, limit: 50000 });
    expect(apiCalls.projected_total).toBeGreaterThan(130000);
    expect((await request(t.app).get('/admin/v1/accounts/acct_th/usage').set('Authorization', serverAuth)).status).toBe(
      403,
    );
    expect(
      (
        await request(t.app)
          .get('/admin/v1/accounts/acct_th/usage')
          .set('Authorization', bearer(userToken('acct_th')))
      ).status,
    ).toBe(403);
    expect(
      (await request(t.app).get('/admin/v1/accounts/acct_none/usage').set('Authorization', adminAuth)).status,
    ).toBe(404);
  });
});
