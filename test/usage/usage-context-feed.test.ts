import { Client } from 'pg';
import { createTestApp, type TestApp } from '../support/test-app';
import { createAccount, mirrorSubscription, postUsage, usageEvent } from './support/usage-fixtures';

/**
 * Ingestion keeps accounts' usage contexts in memory (src/usage/usage-context-cache.ts), dropped
 * through the state channel (migration AccountStateChangeNotifications): these tests go through
 * HTTP on the real app and database and check that no batch is metered with a stale context.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const DAY = 24 * 3600 * 1000;

const stored = async (accountId: string): Promise<number> => {
  const [row] = await t.db.dataSource.query<Array<{ n: string }>>(
    'SELECT count(*) AS n FROM usage_events WHERE account_id = $1',
    [accountId],
  );
  return Number(row?.n);
};

/** Removes what ingestion wrote for the account, so that the account row itself may change (foreign keys). */
const clearUsage = (accountId: string) =>
  t.db.dataSource.query(
    `WITH c AS (DELETE FROM usage_counters WHERE account_id = $1) DELETE FROM usage_gauges WHERE account_id = $1`,
    [accountId],
  );

describe('usage contexts kept in memory by ingestion', () => {
  it('meters the batch after a subscription change in the new subscription period', async () => {
    await createAccount(t, 'acct_ctx_plan', new Date(Date.now() - 200 * DAY));
    expect((await postUsage(t, { events: [usageEvent('acct_ctx_plan')] })).body.accepted).toBe(1);
    const periodStart = new Date(Math.floor(Date.now() / 1000) * 1000 - 3 * DAY);
    await mirrorSubscription(t, {
      accountId: 'acct_ctx_plan',
      planCode: 'pro',
      anchor: periodStart,
      periodStart,
      periodEnd: new Date(periodStart.getTime() + 30 * DAY),
    });
    expect((await postUsage(t, { events: [usageEvent('acct_ctx_plan')] })).body.accepted).toBe(1);
    const rows = await t.db.dataSource.query<Array<{ period_start: Date; used: string }>>(
      'SELECT period_start, used FROM usage_counters WHERE account_id = $1 ORDER BY period_start',
      ['acct_ctx_plan'],
    );
    expect(rows.map((r) => r.period_start.getTime())).toContain(periodStart.getTime());
  });

  it("refuses a deleted account's events from the next batch on, storing none", async () => {
    await createAccount(t, 'acct_ctx_gone');
    expect((await postUsage(t, { events: [usageEvent('acct_ctx_gone')] })).body.accepted).toBe(1);
    await t.db.dataSource.transaction(async (m) => {
      await m.query('DELETE FROM usage_counters WHERE account_id = $1', ['acct_ctx_gone']);
      await m.query('DELETE FROM accounts WHERE id = $1', ['acct_ctx_gone']);
    });
    const res = await postUsage(t, { events: [usageEvent('acct_ctx_gone')] });
    expect(res.body.accepted).toBe(0);
    expect(res.body.rejected[0].error.code).toBe('account_not_found');
    expect(await stored('acct_ctx_gone')).toBe(1);
  });

  it('refuses the old id of a re-keyed account and accepts the new one', async () => {
    await createAccount(t, 'acct_ctx_old');
    expect((await postUsage(t, { events: [usageEvent('acct_ctx_old')] })).body.accepted).toBe(1);
    await clearUsage('acct_ctx_old');
    await t.db.dataSource.query(`UPDATE accounts SET id = 'acct_ctx_new' WHERE id = 'acct_ctx_old'`);
    const res = await postUsage(t, { events: [usageEvent('acct_ctx_old'), usageEvent('acct_ctx_new')] });
    expect(res.body.accepted).toBe(1);
    expect(res.body.rejected).toEqual([expect.objectContaining({ index: 0 })]);
    expect(res.body.rejected[0].error.code).toBe('account_not_found');
    expect(await stored('acct_ctx_old')).toBe(1);
    expect(await stored('acct_ctx_new')).toBe(1);
  });

  it('announces account, subscription and trial changes on the state channel, and usage writes not', async () => {
    await createAccount(t, 'acct_ctx_feed');
    const client = new Client({ connectionString: t.db.url });
    await client.connect();
    const heard: string[] = [];
    client.on('notification', (n) => heard.push(n.payload ?? ''));
    try {
      await client.query(`LISTEN "tl-state:${t.db.schema}"`);
      expect((await postUsage(t, { events: [usageEvent('acct_ctx_feed')] })).body.accepted).toBe(1);
      await t.db.dataSource.query(`UPDATE accounts SET name = 'renamed' WHERE id = 'acct_ctx_feed'`);
      await t.db.dataSource.query(
        `INSERT INTO account_trials (account_id, kind, plan_code, started_at, ends_at)
         VALUES ('acct_ctx_feed', 'reverse_trial', 'pro', now(), now() + interval '14 days')`,
      );
      await client.query('SELECT 1');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(heard).toEqual(['acct_ctx_feed', 'acct_ctx_feed']);
    } finally {
      await client.end();
    }
  });
});
