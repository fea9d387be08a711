import type { Pool, PoolClient } from 'pg';
import { pgPoolOf } from '../../src/usage/pg-pool';
import { UsageIngestRepository, type BatchLimits } from '../../src/usage/usage-ingest.repository';
import type { MeteredEvent } from '../../src/usage/usage.types';
import { createTestApp, type TestApp } from '../support/test-app';
import { counterTotal, createAccount } from './support/usage-fixtures';

let t: TestApp;
const statements: string[] = [];

/** The test database's pool, recording the name (or text) of every statement its clients run. */
function recordingPool(pool: Pool): Pool {
  return {
    connect: async () => {
      const client = await pool.connect();
      const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
      return {
        query: (config: string | { name?: string }, ...rest: unknown[]) => {
          statements.push(typeof config === 'string' ? config : (config.name ?? '?'));
          return query(config, ...rest);
        },
        release: () => client.release(),
      } as unknown as PoolClient;
    },
  } as unknown as Pool;
}

let store: UsageIngestRepository;
beforeAll(async () => {
  t = await createTestApp();
  store = new UsageIngestRepository(() => recordingPool(pgPoolOf(t.db.dataSource)));
  await createAccount(t, 'acct_g1');
  await createAccount(t, 'acct_g2');
});
afterAll(() => t.close());

let sequence = 0;
function events(accountId: string, count: number): MeteredEvent[] {
  const occurredAt = new Date('2030-03-10T00:00:00Z');
  return Array.from({ length: count }, () => ({
    accountId,
    eventId: `guard_${(sequence += 1)}`,
    feature: 'api_calls',
    action: 'increment' as const,
    quantity: 1,
    occurredAt,
    timestamp: occurredAt.toISOString(),
    period: { start: new Date('2030-03-01T00:00:00Z'), end: new Date('2030-04-01T00:00:00Z') },
  }));
}

const limits = (accountId: string, limit: number | null): BatchLimits => ({
  accountIds: [accountId],
  features: ['api_calls'],
  limits: [limit],
  thresholds: ['50,80,100'],
});

describe('ingestion with the batch limits', () => {
  it('stores a batch that crosses no threshold in one statement, without a transaction', async () => {
    statements.length = 0;
    const changes = await store.ingest(events('acct_g1', 4), () => [], limits('acct_g1', 10));
    expect(changes.inserted).toBe(4);
    expect(statements).toEqual(['usage_ingest_guarded_v4']);
    expect(await counterTotal(t, 'acct_g1', 'api_calls')).toBe(4);
  });

  it('runs a batch that reaches a threshold again in a transaction, counting it once', async () => {
    statements.length = 0;
    const changes = await store.ingest(events('acct_g1', 2), () => [], limits('acct_g1', 10));
    expect(changes.counters).toEqual([expect.objectContaining({ before: 4, after: 6 })]);
    expect(statements).toEqual(['usage_ingest_guarded_v4', 'BEGIN', 'usage_ingest_v5', 'COMMIT']);
    expect(await counterTotal(t, 'acct_g1', 'api_calls')).toBe(6);
  });

  it('runs a gauge level that reaches a threshold in a transaction too', async () => {
    statements.length = 0;
    const [counter] = events('acct_g2', 1);
    const level = { ...(counter as MeteredEvent), feature: 'projects', action: 'set' as const, quantity: 2 };
    const projectLimits = { ...limits('acct_g2', 3), features: ['projects'] };
    const changes = await store.ingest([level], () => [], projectLimits);
    expect(changes.gauges).toEqual([expect.objectContaining({ before: 0, value: 2 })]);
    expect(statements).toEqual(['usage_ingest_guarded_v4', 'BEGIN', 'usage_ingest_v5', 'COMMIT']);
  });

  it('lets a batch through whose only crossing is already recorded for its period', async () => {
    await createAccount(t, 'acct_g3');
    await t.db.dataSource.query(
      `INSERT INTO usage_threshold_crossings (account_id, feature, period_start, period_end, threshold, used, limit_value, projected_total)
       VALUES ('acct_g3', 'api_calls', '2030-03-01T00:00:00Z', '2030-04-01T00:00:00Z', 50, 5, 10, 10)`,
    );
    statements.length = 0;
    await store.ingest(events('acct_g3', 6), () => [], limits('acct_g3', 10));
    expect(statements).toEqual(['usage_ingest_guarded_v4']);
    expect(await counterTotal(t, 'acct_g3', 'api_calls')).toBe(6);
  });

  it('never stops a batch of an unlimited feature', async () => {
    statements.length = 0;
    await store.ingest(events('acct_g2', 50), () => [], limits('acct_g2', null));
    expect(statements).toEqual(['usage_ingest_guarded_v4']);
    expect(await counterTotal(t, 'acct_g2', 'api_calls')).toBe(50);
  });
});
