import type { Pool } from 'pg';
import {
  CONTEXT_COLUMNS,
  CONTEXT_FROM,
  GRANTING,
  epochMs,
  toContext,
  type ContextRow,
} from './usage-account.repository';
import type { AccountUsageContext, ThresholdCrossing } from './usage.types';

/** An account with its latest counters and its gauges, read in one round trip. */
export interface UsageSnapshot {
  context: AccountUsageContext;
  /** Per counter feature: its latest period that began by `at`, and the total in it. */
  counters: Map<string, { periodStartMs: number; used: number }>;
  gauges: Map<string, number>;
}

interface SnapshotRow extends ContextRow {
  counters: Array<[string, number, number]> | null;
  gauges: Array<[string, number]> | null;
}

// NOTE: the latest counter row per feature is enough: the caller compares its period with the
// current one and reads 0 when they differ (no use yet this period).
const SNAPSHOT_SQL = `
  SELECT ${CONTEXT_COLUMNS},
    (SELECT json_agg(json_build_array(c.feature, c.start_ms, c.used)) FROM (
       SELECT DISTINCT ON (feature) feature, ${epochMs('period_start')} AS start_ms, used
       FROM usage_counters WHERE account_id = a.id AND period_start <= $3::timestamptz
       ORDER BY feature, period_start DESC) c) AS counters,
    (SELECT json_agg(json_build_array(g.feature, g.value)) FROM usage_gauges g WHERE g.account_id = a.id) AS gauges
  FROM ${CONTEXT_FROM} WHERE a.id = $1`;

interface CrossingRow {
  account_id: string;
  feature: string;
  period_start: Date;
  period_end: Date;
  threshold: number;
  used: string;
  limit_value: string;
  projected_total: string;
  projected_limit_at: Date | null;
  crossed_at: Date;
}

export interface CrossingQuery {
  accountId: string;
  /** Only crossings of the period starting here. */
  periodStart?: Date;
  feature?: string;
  limit?: number;
}

/** Reads usage levels and threshold crossings. */
export class UsageReadRepository {
  constructor(private readonly pool: () => Pool) {}

  /** The account, its plan's source and its usage levels as of `at`; null for an unknown account. */
  async snapshot(accountId: string, at: Date): Promise<UsageSnapshot | null> {
    const { rows } = await this.pool().query<SnapshotRow>({
      name: 'usage_snapshot_v2',
      text: SNAPSHOT_SQL,
      values: [accountId, GRANTING, at.toISOString()],
    });
    const row = rows[0];
    if (!row) return null;
    return {
      context: toContext(row),
      counters: new Map(
        (row.counters ?? []).map(([feature, periodStartMs, used]) => [feature, { periodStartMs, used }]),
      ),
      gauges: new Map(row.gauges ?? []),
    };
  }

  /** Crossings, newest first. */
  async crossings(query: CrossingQuery): Promise<ThresholdCrossing[]> {
    const { rows } = await this.pool().query<CrossingRow>({
      name: 'usage_crossings_v1',
      text: `SELECT * FROM usage_threshold_crossings
             WHERE account_id = $1 AND ($2::timestamptz IS NULL OR period_start = $2) AND ($3::text IS NULL OR feature = $3)
             ORDER BY crossed_at DESC, feature, threshold DESC LIMIT $4`,
      values: [query.accountId, query.periodStart?.toISOString() ?? null, query.feature ?? null, query.limit ?? 100],
    });
    return rows.map((row) => ({
      accountId: row.account_id,
      feature: row.feature,
      period: { start: row.period_start, end: row.period_end },
      threshold: row.threshold,
      used: Number(row.used),
      limit: Number(row.limit_value),
      projectedTotal: Number(row.projected_total),
      projectedLimitAt: row.projected_limit_at,
      crossedAt: row.crossed_at,
    }));
  }
}
