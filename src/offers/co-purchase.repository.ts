import type { Pool } from 'pg';
import { GRANTING_STATUSES } from '../billing/subscription.entity';
import type { CoPurchaseCounts } from './offers.types';

/** Segment key for accounts without an industry, and for every account together. */
export const ALL_SEGMENTS = '*';

interface CountRow {
  /** 1 on the rows that count every segment together. */
  overall: number;
  segment: string | null;
  held: string;
  bought: string;
  accounts: number;
}

// NOTE: from the subscription mirror: per industry (and overall), how many accounts hold add-on `bought` beside plan or add-on `held`.
const COUNTS_SQL = `
  SELECT GROUPING(a.industry) AS overall, a.industry AS segment, held.code AS held, bought.code AS bought, count(DISTINCT s.account_id)::int AS accounts
  FROM subscriptions s
  JOIN accounts a ON a.id = s.account_id
  CROSS JOIN LATERAL (
    SELECT s.plan_code AS code
    UNION SELECT i->>'code' FROM jsonb_array_elements(s.items) i WHERE i->>'kind' = 'add_on'
  ) held
  CROSS JOIN LATERAL (SELECT i->>'code' AS code FROM jsonb_array_elements(s.items) i WHERE i->>'kind' = 'add_on') bought
  WHERE s.status = ANY($1::text[]) AND held.code <> bought.code
  GROUP BY GROUPING SETS ((a.industry, held.code, bought.code), (held.code, bought.code))`;

export type CoPurchasesBySegment = ReadonlyMap<string, CoPurchaseCounts>;

/** Co-purchase counts by segment, computed in one aggregate read (callers cache it). */
export class CoPurchaseRepository {
  constructor(private readonly pool: () => Pool) {}

  async counts(): Promise<CoPurchasesBySegment> {
    const { rows } = await this.pool().query<CountRow>(COUNTS_SQL, [[...GRANTING_STATUSES]]);
    const bySegment = new Map<string, Record<string, Record<string, number>>>();
    for (const row of rows) {
      const segment = row.overall === 1 ? ALL_SEGMENTS : (row.segment ?? `${ALL_SEGMENTS}none`);
      const counts = bySegment.get(segment) ?? {};
      counts[row.held] = { ...(counts[row.held] ?? {}), [row.bought]: row.accounts };
      bySegment.set(segment, counts);
    }
    return bySegment;
  }
}
