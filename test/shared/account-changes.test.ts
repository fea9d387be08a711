import crypto from 'node:crypto';
import { Client } from 'pg';
import { accountChangesOf, type AccountChange } from '../../src/shared/database/account-changes';
import { buildDataSource } from '../../src/shared/database/data-source';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** The tables an offer decision reads, and the column naming the account (see OfferContextRepository). */
const ACCOUNT_STATE = {
  accounts: 'id',
  subscriptions: 'account_id',
  purchases: 'account_id',
  offer_events: 'account_id',
  usage_counters: 'account_id',
  usage_gauges: 'account_id',
  usage_threshold_crossings: 'account_id',
};

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const insertAccounts = (ds: { query(text: string, values: unknown[]): Promise<unknown> }, ids: string[]) =>
  ds.query(
    `INSERT INTO accounts (id, name, email, country, locale, signed_up_at)
     SELECT id, id, id || '@example.test', 'US', 'en-US', now() FROM unnest($1::text[]) AS id`,
    [ids],
  );

/** A plain client listening on the schema's channel, as another instance would. */
async function listener(): Promise<{ heard: string[][]; close(): Promise<void> }> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  const heard: string[][] = [];
  client.on('notification', (n) => heard.push((n.payload ?? '').split(',')));
  await client.query(`LISTEN "tierlift:${db.schema}"`);
  return { heard, close: () => client.end() };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

describe('account change announcements (database triggers)', () => {
  it('every table a decision reads announces inserts, updates and deletes by account', async () => {
    const rows: Array<{ table: string; event: string; args: string }> = await db.dataSource.query(
      `SELECT c.relname AS table, t.tgname, CASE WHEN t.tgtype & 4 > 0 THEN 'INSERT' WHEN t.tgtype & 8 > 0 THEN 'DELETE' ELSE 'UPDATE' END AS event,
              encode(t.tgargs, 'escape') AS args
         FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
        WHERE c.relnamespace = $1::regnamespace AND p.proname = 'notify_account_changes' AND NOT t.tgisinternal`,
      [db.schema],
    );
    for (const [table, column] of Object.entries(ACCOUNT_STATE))
      expect(
        rows
          .filter((r) => r.table === table)
          .map((r) => [r.event, r.args.replace(/\\000$/, '')])
          .sort(),
      ).toEqual([
        ['DELETE', column],
        ['INSERT', column],
        ['UPDATE', column],
      ]);
  });

  it('every trigger of notify_account_changes names a column its static queries cover (StaticAccountChangeNotify)', async () => {
    const rows: Array<{ args: string }> = await db.dataSource.query(
      `SELECT DISTINCT encode(t.tgargs, 'escape') AS args
         FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
        WHERE c.relnamespace = $1::regnamespace AND p.proname IN ('notify_account_changes', 'notify_account_state_changes')
          AND NOT t.tgisinternal`,
      [db.schema],
    );
    expect(rows.map((r) => r.args.replace(/\\000$/, '')).sort()).toEqual(['account_id', 'id']);
  });

  it('one statement over 250 accounts announces each of them (in payloads of 100), once committed', async () => {
    const other = await listener();
    try {
      const ids = Array.from({ length: 250 }, (_, i) => `acct_batch_${i}`);
      await insertAccounts(db.dataSource, ids);
      await db.dataSource.query(`UPDATE accounts SET name = name || '!' WHERE id = ANY($1)`, [ids.slice(0, 3)]);
      await db.dataSource.query(
        `INSERT INTO usage_gauges (account_id, feature, value, observed_at, event_id)
         SELECT id, 'projects', 1, now(), 'e_' || id FROM unnest($1::text[]) AS id`,
        [ids.slice(0, 2)],
      );
      await db.dataSource.query(`DELETE FROM usage_gauges WHERE account_id = $1`, [ids[0]]);
      await settle();
      expect(other.heard.slice(0, 3).map((p) => p.length)).toEqual(expect.arrayContaining([100, 100, 50]));
      expect(new Set(other.heard.slice(0, 3).flat())).toEqual(new Set(ids));
      expect(other.heard.slice(3).map((p) => [...p].sort())).toEqual([ids.slice(0, 3), ids.slice(0, 2), [ids[0]]]);
    } finally {
      await other.close();
    }
  });

  it('a rolled-back change announces nothing', async () => {
    const other = await listener();
    try {
      await db.dataSource
        .transaction(async (m) => {
          await m.query(`INSERT INTO accounts (id, name, email, country, locale, signed_up_at)
                         VALUES ('acct_rolled_back', 'x', 'x@example.test', 'US', 'en-US', now())`);
          throw new Error('roll back');
        })
        .catch(() => undefined);
      await settle();
      expect(other.heard).toEqual([]);
    } finally {
      await other.close();
    }
  });
});

describe('AccountChangeFeed (every pool connection listens)', () => {
  it("hears a write through its own pool before the writer's query resolves, in or out of a transaction", async () => {
    const feed = accountChangesOf(db.dataSource);
    const heard = new Set<string>();
    const stop = feed.subscribe(
      (c: AccountChange) => c.kind === 'accounts' && c.accountIds.forEach((id) => heard.add(id)),
    );
    try {
      await insertAccounts(db.dataSource, ['acct_order']);
      const late: string[] = [];
      for (let i = 0; i < 200; i += 1) {
        const marker = `acct_order_${i}`;
        if (i % 2 === 0) await insertAccounts(db.dataSource, [marker]);
        else await db.dataSource.transaction((m) => insertAccounts(m, [marker]));
        if (!heard.has(marker)) late.push(marker);
      }
      expect(late).toEqual([]);
      expect(feed.live).toBe(true);
    } finally {
      stop();
    }
  });

  it('is not live, and says so, while none of its connections listens; live again with the next connection', async () => {
    const applicationName = `feed_${crypto.randomBytes(4).toString('hex')}`;
    const own = buildDataSource({
      url: db.url,
      schema: db.schema,
      poolSize: 2,
      statementTimeoutMs: 30000,
      lockTimeoutMs: 10000,
      applicationName,
    });
    await own.initialize();
    const feed = accountChangesOf(own);
    const changes: AccountChange[] = [];
    feed.subscribe((c) => changes.push(c));
    try {
      await own.query('SELECT 1');
      expect(feed.live).toBe(true);
      await db.dataSource.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [
        applicationName,
      ]);
      const until = Date.now() + 5000;
      while (feed.live && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(feed.live).toBe(false);
      expect(changes).toContainEqual({ kind: 'reset' });
      await own.query('SELECT 1').catch(() => own.query('SELECT 1'));
      expect(feed.live).toBe(true);
      changes.length = 0;
      await insertAccounts(own, ['acct_after_reconnect']);
      expect(changes).toContainEqual({ kind: 'accounts', accountIds: ['acct_after_reconnect'] });
    } finally {
      await own.destroy();
    }
  });
});
