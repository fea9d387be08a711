import type { DataSource } from 'typeorm';
import { GRANTING_STATUSES } from '../billing/subscription.entity';
import type { Interval } from './catalog.types';

/** What the comparison table needs to know about the account looking at it. */
export interface CatalogViewer {
  accountId: string;
  country: string;
  locale: string;
  /** The plan of the granting subscription; undefined on the free plan (no subscription). */
  planCode?: string;
  interval?: Interval;
}

export type FindCatalogViewer = (accountId: string) => Promise<CatalogViewer | undefined>;

/** Reads the account and its granting subscription from the accounts table and the subscription mirror. */
export function catalogViewerReader(dataSource: DataSource): FindCatalogViewer {
  return async (accountId) => {
    const rows: Array<{
      id: string;
      country: string;
      locale: string;
      plan_code: string | null;
      interval: Interval | null;
    }> = await dataSource.query(
      `SELECT a.id, a.country, a.locale, s.plan_code, s.interval
         FROM accounts a
         LEFT JOIN LATERAL (
           SELECT plan_code, interval FROM subscriptions s
           WHERE s.account_id = a.id AND s.status = ANY($2::text[])
           ORDER BY s.current_period_end DESC LIMIT 1
         ) s ON true
         WHERE a.id = $1`,
      [accountId, [...GRANTING_STATUSES]],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      accountId: row.id,
      country: row.country.trim(),
      locale: row.locale,
      planCode: row.plan_code ?? undefined,
      interval: row.interval ?? undefined,
    };
  };
}
