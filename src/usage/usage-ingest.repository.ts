import type { Pool, PoolClient } from 'pg';
import { batchLimitsJson, eventColumns, sortedByKey, type BatchLimits } from './usage-ingest-params';
import type { CounterChange, GaugeChange, MeteredEvent, ThresholdCrossing } from './usage.types';

export type { BatchLimits } from './usage-ingest-params';

/**
 * One statement stores a batch: new event ids go in (a known id is skipped by the unique key of
 * its month's partition, also under concurrent delivery; docs/usage-partitions.md), and only
 * the rows actually inserted feed the counters and gauges. Rows are written in key order (the
 * events sorted by sortedByKey before they are sent, the counters and gauges here) so that
 * concurrent batches take their locks in the same order and cannot deadlock. NOTE: a gauge keeps
 * the `set` with the latest timestamp (event id breaks ties), so a late, older `set` never
 * overrides a newer one.
 */
const INGEST_CTES = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::timestamptz[], $7::timestamptz[])
    AS i(account_id, event_id, feature, action, quantity, occurred_at, period_start)
),
inserted AS (
  INSERT INTO usage_events (account_id, event_id, feature, action, quantity, occurred_at, period_start)
  SELECT * FROM input
  ON CONFLICT DO NOTHING
  RETURNING account_id, event_id, feature, action, quantity, occurred_at, period_start
),
deltas AS (
  SELECT account_id, feature, period_start, sum(quantity)::bigint AS delta
  FROM inserted WHERE action = 'increment' GROUP BY account_id, feature, period_start
),
counters AS (
  INSERT INTO usage_counters AS c (account_id, feature, period_start, used, last_delta)
  SELECT account_id, feature, period_start, delta, delta FROM deltas ORDER BY account_id, feature, period_start
  ON CONFLICT (account_id, feature, period_start) DO UPDATE
    SET used = c.used + EXCLUDED.used, last_delta = EXCLUDED.used, updated_at = now()
  -- NOTE: last_delta is this statement's own delta: used - last_delta is the total before it.
  RETURNING c.account_id, c.feature, c.period_start, c.used, c.used - c.last_delta AS before
),
latest_sets AS (
  SELECT DISTINCT ON (account_id, feature) account_id, feature, quantity, occurred_at, event_id, period_start
  FROM inserted WHERE action = 'set' ORDER BY account_id, feature, occurred_at DESC, event_id DESC
),
gauges AS (
  INSERT INTO usage_gauges AS g (account_id, feature, value, observed_at, event_id)
  SELECT account_id, feature, quantity, occurred_at, event_id FROM latest_sets ORDER BY account_id, feature
  ON CONFLICT (account_id, feature) DO UPDATE
    SET value = EXCLUDED.value, observed_at = EXCLUDED.observed_at, event_id = EXCLUDED.event_id, updated_at = now()
    WHERE (EXCLUDED.observed_at, EXCLUDED.event_id) > (g.observed_at, g.event_id)
  RETURNING g.account_id, g.feature, g.value, g.observed_at
)`;

const CHANGES_SELECT = `
SELECT 'counter' AS kind, c.account_id, c.feature, (extract(epoch FROM c.period_start) * 1000)::float8 AS at_ms,
       c.used AS value, c.before
  FROM counters c
UNION ALL
-- NOTE: the main query sees usage_gauges as it was before this statement: prev is the level the new one replaced.
SELECT 'gauge', g.account_id, g.feature, (extract(epoch FROM g.observed_at) * 1000)::float8, g.value, COALESCE(prev.value, 0)
  FROM gauges g LEFT JOIN usage_gauges prev ON prev.account_id = g.account_id AND prev.feature = g.feature
UNION ALL
SELECT 'inserted', NULL, NULL, NULL, count(*), NULL FROM inserted`;

const INGEST_SQL = `${INGEST_CTES}
${CHANGES_SELECT}`;

/**
 * The same statement for a batch that should cross no threshold, run on its own (autocommit: one
 * round trip instead of BEGIN, statement, COMMIT). $8 maps each "account feature" of the batch
 * to [limit (null: unlimited), [percents]] (batchLimitsJson); the checks are crossedThresholds'
 * own. If any change reaches a threshold its before did not, usage_ingest_no_crossing raises
 * TL001 and the whole statement rolls back: the batch then runs in a transaction that records
 * the crossings. It answers one row, the count stored: nobody reads the changes of a batch that
 * had nothing to record.
 */
const GUARDED_INGEST_SQL = `${INGEST_CTES},
changed AS (
  SELECT c.account_id, c.feature, c.period_start, c.before, c.used AS after FROM counters c
  UNION ALL
  SELECT g.account_id, g.feature, s.period_start, COALESCE(prev.value, 0), g.value
    FROM gauges g JOIN latest_sets s USING (account_id, feature)
    LEFT JOIN usage_gauges prev ON prev.account_id = g.account_id AND prev.feature = g.feature
),
-- NOTE: an aggregate, not EXISTS: EXISTS plans for the first row and rejoined the CTEs in nested loops.
-- A key missing from the limits counts as a crossing: the transaction path then decides. A crossing
-- already recorded for its period does not count: recording it again would change nothing (a gauge
-- going down and up again past a threshold crosses it each time, and its record stays the first).
crossed AS (
  SELECT COALESCE(bool_or(
           x.l IS NULL OR (x.l -> 0 <> 'null'::jsonb AND EXISTS (
             SELECT 1 FROM jsonb_array_elements_text(x.l -> 1) AS t(percent)
             WHERE ch.after * 100 >= t.percent::bigint * (x.l ->> 0)::bigint
               AND NOT (ch.before > 0 AND ch.before * 100 >= t.percent::bigint * (x.l ->> 0)::bigint)
               AND NOT EXISTS (
                 SELECT 1 FROM usage_threshold_crossings r
                 WHERE r.account_id = ch.account_id AND r.feature = ch.feature
                   AND r.period_start = ch.period_start AND r.threshold = t.percent::int)))
         ), false) AS crossing
  FROM changed ch CROSS JOIN LATERAL (SELECT $8::jsonb -> (ch.account_id || ' ' || ch.feature) AS l) x
  WHERE ch.after > ch.before AND ch.after > 0
)
SELECT (SELECT count(*) FROM inserted)::int AS inserted, usage_ingest_no_crossing(crossing) AS guard FROM crossed`;

const CROSSINGS_SQL = `
INSERT INTO usage_threshold_crossings
  (account_id, feature, period_start, period_end, threshold, used, limit_value, projected_total, projected_limit_at, crossed_at)
SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::int[], $6::bigint[], $7::bigint[],
                     $8::bigint[], $9::timestamptz[], $10::timestamptz[])
ORDER BY 1, 2, 3, 5
ON CONFLICT DO NOTHING`;

interface ResultRow {
  kind: 'counter' | 'gauge' | 'inserted' | 'guard';
  account_id: string | null;
  feature: string | null;
  at_ms: number | null;
  value: string;
  before: string | null;
}

export interface BatchChanges {
  inserted: number;
  counters: CounterChange[];
  gauges: GaugeChange[];
}

/** Decides, from what a batch changed, which crossings to record (pure; see record-crossings.ts). */
export type CrossingPlanner = (changes: BatchChanges) => ThresholdCrossing[];

/** The batch's changes, from the statement's rows. */
function changesOf(rows: readonly ResultRow[]): BatchChanges {
  const changes: BatchChanges = { inserted: 0, counters: [], gauges: [] };
  for (const row of rows) {
    if (row.kind === 'inserted') changes.inserted = Number(row.value);
    else if (row.kind === 'counter' && row.account_id && row.feature && row.at_ms !== null) {
      changes.counters.push({
        accountId: row.account_id,
        feature: row.feature,
        periodStart: new Date(row.at_ms),
        before: Number(row.before),
        after: Number(row.value),
      });
    } else if (row.kind === 'gauge' && row.account_id && row.feature && row.at_ms !== null) {
      changes.gauges.push({
        accountId: row.account_id,
        feature: row.feature,
        before: Number(row.before),
        value: Number(row.value),
        observedAt: new Date(row.at_ms),
      });
    }
  }
  return changes;
}

/** Deadlock, serialization failure, lock timeout: the batch rolled back whole and may run again. */
const RETRYABLE = new Set(['40P01', '40001', '55P03']);
/** Raised by usage_ingest_no_crossing: the guarded statement rolled back, the batch crosses a threshold. */
const CROSSES_THRESHOLD = 'TL001';

export class UsageIngestRepository {
  constructor(private readonly pool: () => Pool) {}

  /**
   * Stores a batch and the crossings it causes atomically; retried (3 attempts) when PostgreSQL
   * rolls it back for a lock conflict. Given the batch's limits, a batch that crosses no
   * threshold (nearly every one) is a single autocommit statement; one that does, or whose
   * guarded statement failed, runs (again) in a transaction that records its crossings.
   */
  async ingest(
    events: readonly MeteredEvent[],
    planCrossings: CrossingPlanner,
    limits?: BatchLimits,
  ): Promise<BatchChanges> {
    events = sortedByKey(events);
    if (limits) {
      const client = await this.pool().connect();
      try {
        // NOTE: the guard applies planCrossings' rule and lets a batch through only when every crossing
        // it finds is already recorded for its period: nothing is left to record.
        return await this.storeGuarded(client, events, limits);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code !== CROSSES_THRESHOLD && !(code && RETRYABLE.has(code))) throw error;
      } finally {
        client.release();
      }
    }
    for (let attempt = 1; ; attempt += 1) {
      const client = await this.pool().connect();
      try {
        await client.query('BEGIN');
        const changes = await this.store(client, events);
        const crossings = planCrossings(changes);
        if (crossings.length > 0) await this.recordCrossings(client, crossings);
        await client.query('COMMIT');
        return changes;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        const code = (error as { code?: string }).code;
        if (attempt >= 3 || !code || !RETRYABLE.has(code)) throw error;
      } finally {
        client.release();
      }
    }
  }

  private async store(client: PoolClient, events: readonly MeteredEvent[]): Promise<BatchChanges> {
    const { rows } = await client.query<ResultRow>({
      name: 'usage_ingest_v5',
      text: INGEST_SQL,
      values: eventColumns(events),
    });
    return changesOf(rows);
  }

  /** NOTE: lists no counters or gauges: the guard let the batch through because it had nothing to record. */
  private async storeGuarded(
    client: PoolClient,
    events: readonly MeteredEvent[],
    limits: BatchLimits,
  ): Promise<BatchChanges> {
    const { rows } = await client.query<{ inserted: number }>({
      name: 'usage_ingest_guarded_v4',
      text: GUARDED_INGEST_SQL,
      values: [...eventColumns(events), batchLimitsJson(limits)],
    });
    return { inserted: rows[0]?.inserted ?? 0, counters: [], gauges: [] };
  }

  private async recordCrossings(client: PoolClient, crossings: readonly ThresholdCrossing[]): Promise<void> {
    await client.query({
      name: 'usage_record_crossings_v1',
      text: CROSSINGS_SQL,
      values: [
        crossings.map((c) => c.accountId),
        crossings.map((c) => c.feature),
        crossings.map((c) => c.period.start.toISOString()),
        crossings.map((c) => c.period.end.toISOString()),
        crossings.map((c) => c.threshold),
        crossings.map((c) => c.used),
        crossings.map((c) => c.limit),
        crossings.map((c) => c.projectedTotal),
        crossings.map((c) => c.projectedLimitAt?.toISOString() ?? null),
        crossings.map((c) => c.crossedAt.toISOString()),
      ],
    });
  }
}
