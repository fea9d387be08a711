import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app';
import { adminAuth, bearer, userToken } from '../support/tokens';
import { createAppWithCatalog } from './support/catalog-app';
import { createAccount, mirrorSubscription, postUsage, usageEvent } from './support/usage-fixtures';

/**
 * Issue #17, sequence 14: a counter follows its feature's own `period` from the catalog, not the
 * billing period. The table sells Pro's API calls as "50,000 per month", so a yearly Pro subscriber
 * gets 50,000 each month, the months stepped from the subscription's billing cycle anchor
 * (docs.stripe.com/billing/subscriptions/billing-cycle: a yearly subscription started on 14 March
 * bills on 14 March; its months here start on the 14th). Every instant comes from the service
 * clock, never from the wall clock.
 */
const at = (iso: string) => new Date(iso);
const ANCHOR = '2026-03-14T09:30:00.000Z';

function setClock(t: TestApp, iso: string): void {
  t.services.clock.now = () => at(iso);
}

async function check(t: TestApp, accountId: string, feature: string, quantity = 1) {
  const res = await request(t.app)
    .get(`/v1/entitlements/${feature}`)
    .query({ quantity: String(quantity) })
    .set('Authorization', bearer(userToken(accountId)));
  expect(res.status).toBe(200);
  return res.body;
}

async function send(t: TestApp, accountId: string, events: Array<{ feature?: string; quantity: number; at: string }>) {
  const res = await postUsage(t, {
    events: events.map((e) =>
      usageEvent(accountId, { feature: e.feature ?? 'api_calls', quantity: e.quantity, timestamp: e.at }),
    ),
  });
  expect(res.body).toMatchObject({ accepted: events.length, rejected: [] });
}

async function subscriber(t: TestApp, accountId: string, interval: 'month' | 'year', periodEnd: string) {
  await createAccount(t, accountId, at('2026-01-10T00:00:00Z'));
  await mirrorSubscription(t, {
    accountId,
    planCode: 'pro',
    interval,
    anchor: at(ANCHOR),
    periodStart: at(interval === 'year' ? ANCHOR : '2026-04-14T09:30:00Z'),
    periodEnd: at(periodEnd),
  });
}

const counterRows = (t: TestApp, accountId: string, feature: string) =>
  t.db.dataSource
    .query(
      'SELECT period_start, used::int AS used FROM usage_counters WHERE account_id = $1 AND feature = $2 ORDER BY period_start',
      [accountId, feature],
    )
    .then((rows: Array<{ period_start: Date; used: number }>) =>
      rows.map((r) => [r.period_start.toISOString(), r.used]),
    );

describe('counters follow their feature period on the demo catalog', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it("resets a yearly Pro subscriber's API calls at each monthly anchor, not once a year", async () => {
    await subscriber(t, 'acct_year', 'year', '2027-03-14T09:30:00Z');
    setClock(t, '2026-04-20T12:00:00Z');
    await send(t, 'acct_year', [
      { quantity: 30000, at: '2026-03-20T10:00:00Z' },
      { quantity: 25000, at: '2026-04-20T11:00:00Z' },
    ]);

    // Was: 55000/50000, blocked, period_end 2027-03-14.
    expect(await check(t, 'acct_year', 'api_calls', 25000)).toMatchObject({
      limit: 50000,
      used: 25000,
      remaining: 25000,
      allowed: true,
      period_start: '2026-04-14T09:30:00.000Z',
      period_end: '2026-05-14T09:30:00.000Z',
    });

    setClock(t, '2026-05-14T09:29:59.999Z');
    expect((await check(t, 'acct_year', 'api_calls')).used).toBe(25000);
    setClock(t, '2026-05-14T09:30:00.000Z');
    expect(await check(t, 'acct_year', 'api_calls')).toMatchObject({
      used: 0,
      period_start: '2026-05-14T09:30:00.000Z',
      period_end: '2026-06-14T09:30:00.000Z',
    });

    // Late: made a minute before the reset, delivered after it: it counts in the month it happened.
    await send(t, 'acct_year', [{ quantity: 100, at: '2026-05-14T09:29:00Z' }]);
    expect((await check(t, 'acct_year', 'api_calls')).used).toBe(0);
    expect(await counterRows(t, 'acct_year', 'api_calls')).toEqual([
      ['2026-03-14T09:30:00.000Z', 30000],
      ['2026-04-14T09:30:00.000Z', 25100],
    ]);
  });

  it('lists each metered entitlement with its own period: monthly counters, gauges over the billing year', async () => {
    await subscriber(t, 'acct_year_list', 'year', '2027-03-14T09:30:00Z');
    setClock(t, '2026-06-01T00:00:00Z');
    await send(t, 'acct_year_list', [
      { feature: 'exports', quantity: 400, at: '2026-05-20T00:00:00Z' },
      { feature: 'exports', quantity: 30, at: '2026-05-31T00:00:00Z' },
    ]);
    const res = await request(t.app)
      .get('/v1/entitlements')
      .set('Authorization', bearer(userToken('acct_year_list')));
    expect(res.status).toBe(200);
    const byFeature = new Map(
      (res.body.data as Array<Record<string, unknown>>).map((e) => [e.feature, [e.used, e.period_start, e.period_end]]),
    );
    const month = ['2026-05-14T09:30:00.000Z', '2026-06-14T09:30:00.000Z'];
    expect(byFeature.get('api_calls')).toEqual([0, ...month]);
    expect(byFeature.get('exports')).toEqual([430, ...month]);
    expect(byFeature.get('seats')).toEqual([0, ANCHOR, '2027-03-14T09:30:00.000Z']);
  });

  it("records threshold crossings in the counter's month and projects over that month", async () => {
    await subscriber(t, 'acct_year_cross', 'year', '2027-03-14T09:30:00Z');
    setClock(t, '2026-03-24T09:30:00Z');
    await send(t, 'acct_year_cross', [{ quantity: 30000, at: '2026-03-24T09:00:00Z' }]);
    setClock(t, '2026-04-24T09:30:00Z');
    await send(t, 'acct_year_cross', [{ quantity: 25000, at: '2026-04-24T09:00:00Z' }]);

    const res = await request(t.app).get('/admin/v1/accounts/acct_year_cross/usage').set('Authorization', adminAuth);
    expect(res.status).toBe(200);
    const crossings = (res.body.crossings as Array<Record<string, unknown>>)
      .filter((c) => c.feature === 'api_calls')
      .map((c) => [c.threshold, c.used, c.period_start, c.period_end]);
    // Was: 100 and 80 at 55000, then 50 at 30000, all in the year 2026-03-14 to 2027-03-14.
    expect(crossings).toEqual([
      [50, 25000, '2026-04-14T09:30:00.000Z', '2026-05-14T09:30:00.000Z'],
      [50, 30000, ANCHOR, '2026-04-14T09:30:00.000Z'],
    ]);
    // 25000 in 10 of the month's 30 days: 75000 by its end, the limit on 2026-04-24T09:30 + 10 days.
    const projection = (res.body.projections as Array<Record<string, unknown>>).find((p) => p.feature === 'api_calls');
    expect(projection).toMatchObject({ used: 25000, projected_total: 75000, elapsed: 0.3333 });
  });

  it('leaves a monthly Pro subscriber as it was: the mirrored billing month', async () => {
    await subscriber(t, 'acct_month', 'month', '2026-05-14T09:30:00Z');
    setClock(t, '2026-04-20T12:00:00Z');
    await send(t, 'acct_month', [
      { quantity: 30000, at: '2026-03-20T10:00:00Z' },
      { quantity: 25000, at: '2026-04-20T11:00:00Z' },
    ]);
    expect(await check(t, 'acct_month', 'api_calls')).toMatchObject({
      used: 25000,
      period_start: '2026-04-14T09:30:00.000Z',
      period_end: '2026-05-14T09:30:00.000Z',
    });
    expect(await counterRows(t, 'acct_month', 'api_calls')).toEqual([
      [ANCHOR, 30000],
      ['2026-04-14T09:30:00.000Z', 25000],
    ]);
  });

  it("offers no upgrade for last month's API calls, and does for this month's", async () => {
    await subscriber(t, 'acct_year_offer', 'year', '2027-03-14T09:30:00Z');
    const upsells = async () => {
      const res = await request(t.app)
        .get('/v1/prompts')
        .set('Authorization', bearer(userToken('acct_year_offer')));
      expect(res.status).toBe(200);
      return (res.body.data as Array<{ reason: { trigger: string; feature?: string; percent?: number } }>)
        .filter((p) => p.reason.trigger === 'usage_threshold' && p.reason.feature === 'api_calls')
        .map((p) => p.reason.percent);
    };
    setClock(t, '2026-04-10T12:00:00Z');
    await send(t, 'acct_year_offer', [{ quantity: 42500, at: '2026-04-10T11:00:00Z' }]);
    expect(await upsells()).toEqual([85]);

    // Next month: a fresh 50,000. Was: still 85% of a yearly counter, so the upsell stayed all year.
    setClock(t, '2026-04-20T12:00:00Z');
    expect(await upsells()).toEqual([]);
    await send(t, 'acct_year_offer', [{ quantity: 45000, at: '2026-04-20T11:00:00Z' }]);
    expect(await upsells()).toEqual([90]);
  });
});

describe('a counter without a period of its own', () => {
  let t: TestApp;
  beforeAll(async () => {
    // exports as a counter without `period`: it counts over the billing period, whatever its length.
    t = await createAppWithCatalog((loaded) => ({
      ...loaded,
      catalog: {
        ...loaded.catalog,
        features: loaded.catalog.features.map((f) =>
          f.code === 'exports' && f.type === 'metered' ? { ...f, period: undefined } : f,
        ),
      },
    }));
  });
  afterAll(() => t.close());

  it('follows the yearly billing period while the monthly counter beside it resets monthly', async () => {
    await subscriber(t, 'acct_year_noperiod', 'year', '2027-03-14T09:30:00Z');
    setClock(t, '2026-04-20T12:00:00Z');
    await send(t, 'acct_year_noperiod', [
      { feature: 'exports', quantity: 300, at: '2026-03-20T10:00:00Z' },
      { feature: 'exports', quantity: 100, at: '2026-04-20T10:00:00Z' },
      { quantity: 30000, at: '2026-03-20T10:00:00Z' },
      { quantity: 1000, at: '2026-04-20T10:00:00Z' },
    ]);
    expect(await check(t, 'acct_year_noperiod', 'exports')).toMatchObject({
      used: 400,
      period_start: ANCHOR,
      period_end: '2027-03-14T09:30:00.000Z',
    });
    expect(await check(t, 'acct_year_noperiod', 'api_calls')).toMatchObject({
      used: 1000,
      period_start: '2026-04-14T09:30:00.000Z',
      period_end: '2026-05-14T09:30:00.000Z',
    });
  });
});
