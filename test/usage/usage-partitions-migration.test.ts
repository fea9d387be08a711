import crypto from 'node:crypto';
import type { DataSource } from 'typeorm';
import { UsageEventsPartitioned1765200000000 as Migration } from '../../migrations/1765200000000-UsageEventsPartitioned';
import { buildDataSource } from '../../src/shared/database/data-source';
import { loadMigrations } from '../../src/shared/database/migrations';

const TIMESTAMP = 1765200000000;
const MONTH_MS = 31 * 24 * 3600 * 1000;

let dataSource: DataSource;
let schema: string;

/** A schema at the state the migrations before this one leave, holding usage events of several months. */
beforeAll(async () => {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is set by test/support/global-setup.ts');
  schema = `tt_${Date.now()}_${crypto.randomBytes(4).toString('hex')}`;
  dataSource = buildDataSource({ url, schema, poolSize: 2, statementTimeoutMs: 30000, lockTimeoutMs: 10000 });
  const earlier = loadMigrations().filter((cls) => Number(/(\d+)$/.exec(cls.name)?.[1]) < TIMESTAMP);
  dataSource.setOptions({ migrations: earlier as never });
  await dataSource.initialize();
  await dataSource.query(`CREATE SCHEMA "${schema}"`);
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.query(
    `INSERT INTO accounts (id, name, email, country, locale, signed_up_at) VALUES ('acct_m', 'M', 'm@example.test', 'DE', 'de-DE', $1)`,
    [new Date(Date.now() - 30 * MONTH_MS)],
  );
  // e1–e3 26 months ago, e4–e5 one month ago, e6–e9 now; quantities 1–9.
  const ages = [26, 26, 26, 1, 1, 0, 0, 0, 0];
  await dataSource.query(
    `INSERT INTO usage_events (account_id, event_id, feature, action, quantity, occurred_at, period_start, received_at)
     SELECT 'acct_m', 'e' || n, 'api_calls', 'increment', n, at, at, at
     FROM unnest($1::timestamptz[]) WITH ORDINALITY AS u(at, n)`,
    [ages.map((months) => new Date(Date.now() - months * MONTH_MS).toISOString())],
  );
});

afterAll(async () => {
  await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await dataSource.destroy();
});

async function runMigration(direction: 'up' | 'down'): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.startTransaction();
    await new Migration()[direction](runner);
    await runner.commitTransaction();
  } catch (error) {
    await runner.rollbackTransaction();
    throw error;
  } finally {
    await runner.release();
  }
}

const eventsByTable = async () =>
  (await dataSource.query(
    `SELECT tableoid::regclass::text AS part, count(*)::int AS n, sum(quantity)::int AS q
     FROM usage_events GROUP BY 1 ORDER BY 1`,
  )) as Array<{ part: string; n: number; q: number }>;

describe('migration UsageEventsPartitioned on a table with data', () => {
  it('moves every event into the partition of its month and keeps the table answering as before', async () => {
    const before = (await dataSource.query(
      'SELECT event_id, quantity::int, occurred_at FROM usage_events ORDER BY event_id',
    )) as unknown[];
    await runMigration('up');

    const after = (await dataSource.query(
      'SELECT event_id, quantity::int, occurred_at FROM usage_events ORDER BY event_id',
    )) as unknown[];
    expect(after).toEqual(before);
    const [kind] = (await dataSource.query(
      "SELECT relkind FROM pg_class WHERE oid = 'usage_events'::regclass",
    )) as Array<{ relkind: string }>;
    expect(kind?.relkind).toBe('p');
    const parts = await eventsByTable();
    expect(parts.map((p) => p.n).sort()).toEqual([2, 3, 4]);
    expect(parts.every((p) => /^usage_events_\d{4}_\d{2}$/.test(p.part))).toBe(true);
    expect(parts.reduce((sum, p) => sum + p.q, 0)).toBe(45);
  });

  it('still refuses an event id the account already used in that month', async () => {
    const [row] = (await dataSource.query("SELECT occurred_at FROM usage_events WHERE event_id = 'e9'")) as Array<{
      occurred_at: Date;
    }>;
    const inserted = (await dataSource.query(
      `INSERT INTO usage_events (account_id, event_id, feature, action, quantity, occurred_at, period_start)
       VALUES ('acct_m', 'e9', 'api_calls', 'increment', 1, $1, $1) ON CONFLICT DO NOTHING RETURNING event_id`,
      [row?.occurred_at],
    )) as unknown[];
    expect(inserted).toEqual([]);
  });

  it('goes back down to the plain table with the same events', async () => {
    await runMigration('down');
    const [kind] = (await dataSource.query(
      "SELECT relkind FROM pg_class WHERE oid = 'usage_events'::regclass",
    )) as Array<{ relkind: string }>;
    expect(kind?.relkind).toBe('r');
    const [total] = (await dataSource.query(
      'SELECT count(*)::int AS n, sum(quantity)::int AS q FROM usage_events',
    )) as Array<{ n: number; q: number }>;
    expect(total).toEqual({ n: 9, q: 45 });
  });
});
