import { pgPoolOf } from '../../src/usage/pg-pool';
import { UsageIngestRepository } from '../../src/usage/usage-ingest.repository';
import { maintainUsagePartitions, partitionPlan } from '../../src/usage/usage-partitions';
import type { MeteredEvent } from '../../src/usage/usage.types';
import { createTestApp, type TestApp } from '../support/test-app';
import { createAccount } from './support/usage-fixtures';

let t: TestApp;
let store: UsageIngestRepository;
beforeAll(async () => {
  t = await createTestApp();
  store = new UsageIngestRepository(() => pgPoolOf(t.db.dataSource));
  await createAccount(t, 'acct_p1');
});
afterAll(() => t.close());

const maintain = (now: string, retentionMonths = 24) =>
  maintainUsagePartitions(pgPoolOf(t.db.dataSource), new Date(now), retentionMonths);

/** A counter event at `at`, counted in a period that starts on the 1st of its month. */
function event(id: string, at: string, quantity = 1): MeteredEvent {
  const occurredAt = new Date(at);
  const start = new Date(Date.UTC(occurredAt.getUTCFullYear(), occurredAt.getUTCMonth(), 1));
  const end = new Date(Date.UTC(occurredAt.getUTCFullYear(), occurredAt.getUTCMonth() + 1, 1));
  return {
    accountId: 'acct_p1',
    eventId: id,
    feature: 'api_calls',
    action: 'increment',
    quantity,
    occurredAt,
    timestamp: at,
    period: { start, end },
  };
}

const ingest = (...events: MeteredEvent[]) => store.ingest(events, () => []);

async function partitions(): Promise<string[]> {
  const rows = (await t.db.dataSource.query(
    `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'usage_events'::regclass ORDER BY 1`,
  )) as Array<{ relname: string }>;
  return rows.map((r) => r.relname);
}

async function partitionOf(eventId: string): Promise<string | undefined> {
  const rows = (await t.db.dataSource.query(
    'SELECT tableoid::regclass::text AS part FROM usage_events WHERE event_id = $1',
    [eventId],
  )) as Array<{ part: string }>;
  return rows[0]?.part;
}

async function counters(): Promise<Array<{ period_start: Date; used: string }>> {
  return (await t.db.dataSource.query(
    "SELECT period_start, used FROM usage_counters WHERE account_id = 'acct_p1' ORDER BY period_start",
  )) as Array<{ period_start: Date; used: string }>;
}

describe('partitionPlan', () => {
  it('keeps the current month and three ahead, across a year end', () => {
    const plan = partitionPlan(new Date('2030-11-30T23:59:59Z'), 24);
    expect(plan.months.map((m) => m.toISOString().slice(0, 7))).toEqual(['2030-11', '2030-12', '2031-01', '2031-02']);
    expect(plan.cutoff.toISOString()).toBe('2028-11-01T00:00:00.000Z');
  });

  it('refuses a retention shorter than the 400 days an event may arrive late', () => {
    expect(() => partitionPlan(new Date('2030-01-01T00:00:00Z'), 13)).toThrow(RangeError);
    expect(() => partitionPlan(new Date('2030-01-01T00:00:00Z'), 14.5)).toThrow(RangeError);
  });
});

describe('usage_events partitions', () => {
  it('creates the current month and the three ahead once', async () => {
    const first = await maintain('2031-05-10T08:00:00Z');
    expect(first.created).toEqual([
      'usage_events_2031_05',
      'usage_events_2031_06',
      'usage_events_2031_07',
      'usage_events_2031_08',
    ]);
    expect(await partitions()).toEqual(expect.arrayContaining(first.created));
    const again = await maintain('2031-05-20T08:00:00Z');
    expect(again.created).toEqual([]);
  });

  it('stores an event far in the past or future in the default partition, once', async () => {
    const far = [event('far_past', '2001-03-04T05:06:07Z', 2), event('far_future', '2045-03-04T05:06:07Z', 3)];
    expect((await ingest(...far)).inserted).toBe(2);
    expect(await partitionOf('far_past')).toBe('usage_events_default');
    expect(await partitionOf('far_future')).toBe('usage_events_default');
    expect((await ingest(...far)).inserted).toBe(0);
    const byPeriod = await counters();
    expect(byPeriod.find((c) => c.period_start.toISOString() === '2045-03-01T00:00:00.000Z')?.used).toBe('3');
  });

  it("moves a month's rows out of the default partition when the month is created, and still refuses their retry", async () => {
    await ingest(event('moved_1', '2046-02-10T00:00:00Z', 5));
    expect(await partitionOf('moved_1')).toBe('usage_events_default');
    await maintain('2046-01-20T00:00:00Z', 1200);
    expect(await partitionOf('moved_1')).toBe('usage_events_2046_02');
    expect((await ingest(event('moved_1', '2046-02-10T00:00:00Z', 5))).inserted).toBe(0);
    const feb = (await counters()).find((c) => c.period_start.toISOString() === '2046-02-01T00:00:00.000Z');
    expect(feb?.used).toBe('5');
  });

  it('counts a retried event once, also when another event of the batch is new', async () => {
    await maintain('2031-05-10T08:00:00Z');
    await ingest(event('retry_1', '2031-06-03T00:00:00Z', 4));
    const retry = await ingest(
      event('retry_1', '2031-06-03T00:00:00Z', 4),
      event('retry_2', '2031-06-04T00:00:00Z', 1),
    );
    expect(retry.inserted).toBe(1);
    const june = (await counters()).find((c) => c.period_start.toISOString() === '2031-06-01T00:00:00.000Z');
    expect(june?.used).toBe('5');
  });

  it('drops only partitions wholly older than the retention, and leaves the counters as they were', async () => {
    await maintain('2031-05-10T08:00:00Z');
    await ingest(
      event('old_default', '2030-01-15T00:00:00Z'),
      event('kept_default', '2032-01-10T00:00:00Z'),
      event('old_may', '2031-05-31T23:59:59Z'),
      event('old_jul', '2031-07-01T00:00:00Z'),
    );
    expect(await partitionOf('old_default')).toBe('usage_events_default');
    const before = await counters();

    // 24 months before 2033-07-01 is 2031-07-01: May and June 2031 end by then, July 2031 does not.
    const report = await maintain('2033-07-15T00:00:00Z', 24);

    expect(report.dropped).toEqual(expect.arrayContaining(['usage_events_2031_05', 'usage_events_2031_06']));
    expect(report.dropped).not.toContain('usage_events_2031_07');
    expect(report.expiredDefaultRows).toBe(1);
    expect(await partitionOf('old_default')).toBeUndefined();
    const left = await partitions();
    expect(left).toEqual(
      expect.arrayContaining(['usage_events_default', 'usage_events_2031_07', 'usage_events_2033_07']),
    );
    expect(left).not.toContain('usage_events_2031_05');
    expect(await partitionOf('old_may')).toBeUndefined();
    expect(await partitionOf('old_jul')).toBe('usage_events_2031_07');
    expect(await partitionOf('kept_default')).toBe('usage_events_default');
    expect(await counters()).toEqual(before);
  });
});
