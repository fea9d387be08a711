import type { DataSource } from 'typeorm';
import { GRANTING_STATUSES } from '../billing/subscription.entity';
import type { PriorClaim } from '../guarantees/guarantee.types';
import type { Interval } from './catalog.types';

/** What the comparison table needs to know about the account looking at it. */
export interface CatalogViewer {
  accountId: string;
  country: string;
  locale: string;
  /** The plan of the granting subscription; undefined on the free plan (no subscription). */
  planCode?: string;
  interval?: Interval;
  /** Its claims under the guarantees, failed ones excluded: what the table may no longer promise. */
  refundClaims: PriorClaim[];
  /** When it was read (the service's clock): the moment the table's promises are made for. */
  at: Date;
}

export type FindCatalogViewer = (accountId: string) => Promise<CatalogViewer | undefined>;

/**
 * Reads the account, its granting subscription and its refund claims from the accounts table,
 * the subscription mirror and the guarantees' claims (read-only).
 */
export function catalogViewerReader(
  dataSource: DataSource,
  clock: { now(): Date } = { now: () => new Date() },
): FindCatalogViewer {
  return async (accountId) => {
    const rows: Array<{
      id: string;
      country: string;
      locale: string;
      plan_code: string | null;
      interval: Interval | null;
      refund_claims: Array<[string, string, boolean, string]>;
    }> = await dataSource.query(
      `SELECT a.id, a.country, a.locale, s.plan_code, s.interval,
              (SELECT coalesce(json_agg(json_build_array(r.purchase_id, r.product, r.within_policy, r.created_at)),
                               '[]'::json)
                 FROM refund_claims r WHERE r.account_id = a.id AND r.state <> 'failed') AS refund_claims
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
      refundClaims: row.refund_claims.map(([purchaseId, product, withinPolicy, at]) => ({
        purchaseId,
        product,
        withinPolicy,
        at: new Date(at),
      })),
      at: clock.now(),
    };
  };
}
