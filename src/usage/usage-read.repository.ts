import type { Pool } from 'pg';
import type { ThresholdCrossing } from './usage.types';

interface LevelRow {
  kind: 'counter' | 'gauge';
  feature: string;
  value: string;
}

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

export interface UsageLevelsRead {
  counters: Map<string, number>;
  gauges: Map<string, number>;
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

  /** Counter totals of the period starting at `periodStart`, and every gauge's latest level. */
  async levels(accountId: string, periodStart: Date): Promise<UsageLevelsRead> {
    const { rows } = await this.pool().query<LevelRow>({
      name: 'usage_levels_v1',
      text: `SELECT 'counter' AS kind, feature, used AS value FROM usage_counters WHERE account_id = $1 AND period_start = $2
             UNION ALL
             SELECT 'gauge', feature, value FROM usage_gauges WHERE account_id = $1`,
      values: [accountId, periodStart.toISOString()],
    });
    const levels: UsageLevelsRead = { counters: new Map(), gauges: new Map() };
    for (const row of rows)
      (row.kind === 'counter' ? levels.counters : levels.gauges).set(row.feature, Number(row.value));
    return levels;
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
