import type { Pool } from 'pg';
import { RATE_LIMIT_TABLE } from '../../src/shared/http/rate-limit';
import { SharedRateCounts } from '../../src/shared/http/shared-rate-counts';
import { pgPoolOf } from '../../src/usage/pg-pool';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/**
 * Rate limit counts kept in memory and shared through PostgreSQL in batches (no statement per
 * request): exact on one instance, shared across instances within one sync interval.
 */
const WINDOW_MS = 60_000;
const T0 = Date.UTC(2030, 0, 1);

describe('shared rate counts', () => {
  let db: TestDatabase;
  let pool: Pool;
  let at = T0;
  const instance = (poolOf: () => Pool = () => pool) =>
    new SharedRateCounts({
      pool: poolOf,
      table: RATE_LIMIT_TABLE,
      windowMs: WINDOW_MS,
      syncMs: 3_600_000,
      now: () => at,
    });
  const allowed = (counts: SharedRateCounts, key: string, points: number, n: number) =>
    Array.from({ length: n }, () => counts.consume(key, points).allowed).filter(Boolean).length;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = pgPoolOf(db.dataSource);
  });
  afterAll(() => db.drop());
  beforeEach(() => (at = T0));

  it('is exact on one instance: the limit, then refusals that are not counted', async () => {
    const counts = instance();
    const answers = Array.from({ length: 5 }, () => counts.consume('account:solo', 3));
    expect(answers.map((a) => [a.allowed, a.remaining, a.consumed])).toEqual([
      [true, 2, 1],
      [true, 1, 2],
      [true, 0, 3],
      [false, 0, 3],
      [false, 0, 3],
    ]);
    await counts.sync();
    const { rows } = await pool.query(`SELECT points, expire FROM ${RATE_LIMIT_TABLE} WHERE key = 'account:solo'`);
    expect(rows).toEqual([{ points: 3, expire: String(T0 + WINDOW_MS) }]);
  });

  it('shares counts between instances at each sync: together they pass the limit by at most one interval', async () => {
    const a = instance();
    const b = instance();
    expect(allowed(a, 'account:both', 10, 6)).toBe(6);
    await a.sync();
    // B has not synced yet: it knows only its own counts (the bound: what A counted since B's last sync).
    expect(allowed(b, 'account:both', 10, 1)).toBe(1);
    await b.sync(); // B learns A's 6: 7 counted in all
    expect(allowed(b, 'account:both', 10, 5)).toBe(3);
    await b.sync();
    await a.sync(); // A sent nothing new, so it did not learn; its next sync with a count does
    expect(allowed(a, 'account:both', 10, 1)).toBe(1);
    await a.sync();
    expect(allowed(a, 'account:both', 10, 1)).toBe(0);
    const { rows } = await pool.query(`SELECT points FROM ${RATE_LIMIT_TABLE} WHERE key = 'account:both'`);
    expect(rows[0].points).toBe(11); // the limit (10) and the one bounded overshoot
  });

  it('starts a new window after the shared one ends, on every instance', async () => {
    const a = instance();
    const b = instance();
    expect(allowed(a, 'ip:1.2.3.4', 2, 3)).toBe(2);
    await a.sync();
    at = T0 + 30_000;
    expect(allowed(b, 'ip:1.2.3.4', 2, 1)).toBe(1);
    await b.sync(); // the shared window (ends T0 + 60 s) has 3 now: B adopts it
    expect(b.consume('ip:1.2.3.4', 2)).toMatchObject({ allowed: false, msBeforeNext: 30_000 });
    at = T0 + WINDOW_MS;
    expect(allowed(b, 'ip:1.2.3.4', 2, 3)).toBe(2);
    await b.sync();
    const { rows } = await pool.query(`SELECT points, expire FROM ${RATE_LIMIT_TABLE} WHERE key = 'ip:1.2.3.4'`);
    expect(rows).toEqual([{ points: 2, expire: String(T0 + 2 * WINDOW_MS) }]);
  });

  it('keeps limiting while PostgreSQL does not answer, and sends the counts once it does', async () => {
    let up = false;
    const flaky = {
      query: (...args: Parameters<Pool['query']>) =>
        up ? (pool.query as (...a: unknown[]) => unknown)(...args) : Promise.reject(new Error('connection refused')),
    } as unknown as Pool;
    const counts = instance(() => flaky);
    expect(allowed(counts, 'key:server', 4, 3)).toBe(3);
    await expect(counts.sync()).rejects.toThrow('connection refused');
    expect(allowed(counts, 'key:server', 4, 3)).toBe(1);
    up = true;
    await counts.sync();
    const { rows } = await pool.query(`SELECT points FROM ${RATE_LIMIT_TABLE} WHERE key = 'key:server'`);
    expect(rows[0].points).toBe(4);
    expect(counts.consume('key:server', 4).allowed).toBe(false);
  });
});
