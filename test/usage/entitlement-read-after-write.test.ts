import { Client } from 'pg';
import request from 'supertest';
import { pgPoolOf } from '../../src/usage/pg-pool';
import { createTestApp, type TestApp } from '../support/test-app';
import { bearer, userToken } from '../support/tokens';
import { createAccount, daysAgo, daysAhead, mirrorSubscription, postUsage, usageEvent } from './support/usage-fixtures';

/** The entitlement cache seen through HTTP: warm checks read nothing, and every write is seen at once. */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const check = async (accountId: string, feature = 'api_calls') => {
  const res = await request(t.app)
    .get(`/v1/entitlements/${feature}`)
    .set('Authorization', bearer(userToken(accountId, 'member')));
  expect(res.status).toBe(200);
  return res.body as { used: number; limit: number | null; allowed: boolean; enabled?: boolean };
};

/** Writes usage as another process would, with the change announcement switched off. */
async function silentUsage(accountId: string, used: number) {
  const client = new Client({ connectionString: t.db.url });
  await client.connect();
  try {
    await client.query(`SET search_path = "${t.db.schema}"`);
    await client.query('SET session_replication_role = replica');
    await client.query(`UPDATE usage_counters SET used = $2 WHERE account_id = $1 AND feature = 'api_calls'`, [
      accountId,
      used,
    ]);
  } finally {
    await client.end();
  }
}

describe('GET /v1/entitlements/{feature} with the entitlement cache', () => {
  // NOTE: every pool connection listens, so a write is heard once per connection: the idle ones'
  // copies arrive moments after the writer's and may refuse to store a read made meanwhile. Both
  // tests below therefore wait for the cache to settle, up to 20 tries; without a cache they never pass.
  it('answers warm checks without a query', async () => {
    await createAccount(t, 'acct_warm');
    const pool = pgPoolOf(t.db.dataSource);
    const spy = jest.spyOn(pool, 'query');
    const entitlementReads = () =>
      spy.mock.calls.filter(([query]) => JSON.stringify(query).includes('usage_snapshot')).length;
    try {
      let inARow = 0;
      for (let i = 0; i < 20 && inARow < 5; i++) {
        const before = entitlementReads();
        await check('acct_warm');
        inARow = entitlementReads() === before ? inARow + 1 : 0;
      }
      expect(inARow).toBe(5);
    } finally {
      spy.mockRestore();
    }
  });

  it('serves from memory: a write the feed never announced is not seen (so the next tests prove invalidation)', async () => {
    await createAccount(t, 'acct_silent');
    await postUsage(t, { events: [usageEvent('acct_silent', { quantity: 3 })] }).expect(200);
    let servedFromMemory = false;
    for (let i = 0; i < 20 && !servedFromMemory; i++) {
      const seen = (await check('acct_silent')).used;
      await silentUsage('acct_silent', seen + 100);
      servedFromMemory = (await check('acct_silent')).used === seen;
    }
    expect(servedFromMemory).toBe(true);
  });

  it('sees every usage write through this instance in the very next check', async () => {
    await createAccount(t, 'acct_raw');
    expect((await check('acct_raw')).used).toBe(0);
    for (let i = 1; i <= 20; i++) {
      await postUsage(t, { events: [usageEvent('acct_raw', { id: `evt_raw_${i}`, quantity: 1 })] }).expect(200);
      expect((await check('acct_raw')).used).toBe(i);
    }
  });

  it('flips from refused to allowed in the next check after a plan change', async () => {
    await createAccount(t, 'acct_plan');
    await postUsage(t, { events: [usageEvent('acct_plan', { quantity: 1000 })] }).expect(200);
    expect(await check('acct_plan')).toMatchObject({ used: 1000, limit: 1000, allowed: false });
    await mirrorSubscription(t, {
      accountId: 'acct_plan',
      planCode: 'pro',
      anchor: daysAgo(1),
      periodStart: daysAgo(1),
      periodEnd: daysAhead(29),
    });
    expect(await check('acct_plan')).toMatchObject({ limit: 50000, allowed: true });
  });

  it('sees a reverse trial starting in the next check (account_trials is on the change feed)', async () => {
    await createAccount(t, 'acct_trial');
    expect((await check('acct_trial', 'sso')).enabled).toBe(false);
    await t.db.dataSource.query(
      `INSERT INTO account_trials (account_id, plan_code, kind, started_at, ends_at) VALUES ($1, 'premium', 'reverse_trial', $2, $3)`,
      ['acct_trial', daysAgo(1), daysAhead(13)],
    );
    expect((await check('acct_trial', 'sso')).enabled).toBe(true);
  });
});

describe('ENTITLEMENT_CACHE_SECONDS=0 (behind a transaction-mode pooler, where LISTEN hears nothing)', () => {
  let off: TestApp;
  beforeAll(async () => {
    off = await createTestApp({ ENTITLEMENT_CACHE_SECONDS: '0' });
  });
  afterAll(() => off.close());

  it('reads PostgreSQL on every check, so a write nobody announced is seen at once', async () => {
    await createAccount(off, 'acct_uncached');
    await postUsage(off, { events: [usageEvent('acct_uncached', { quantity: 3 })] }).expect(200);
    const checkOff = async () =>
      (
        await request(off.app)
          .get('/v1/entitlements/api_calls')
          .set('Authorization', bearer(userToken('acct_uncached', 'member')))
          .expect(200)
      ).body.used as number;
    for (let i = 0; i < 5; i++) {
      const seen = await checkOff();
      const client = new Client({ connectionString: off.db.url });
      await client.connect();
      try {
        await client.query(`SET search_path = "${off.db.schema}"`);
        await client.query('SET session_replication_role = replica');
        await client.query(`UPDATE usage_counters SET used = $2 WHERE account_id = $1 AND feature = 'api_calls'`, [
          'acct_uncached',
          seen + 100,
        ]);
      } finally {
        await client.end();
      }
      expect(await checkOff()).toBe(seen + 100);
    }
  });
});
