import type { Pool } from 'pg';
import { STRIPE_PAID_BY } from '../shared/database/stripe-seconds';

/** One exposed account and what followed its exposure within the metric's window. */
export interface ExposureOutcome {
  variant: string;
  country: string;
  plan: string;
  converted: boolean;
  /** What Stripe collected net of refunds, in minor units of `currency`; 0 when nothing was bought. */
  revenue: number;
  currency: string | null;
  refunded: boolean;
  dismissed: boolean;
}

interface Row {
  variant: string;
  country: string;
  plan_code: string;
  purchases: number;
  net: string | null;
  currency: string | null;
  refunded: boolean;
  dismissed: boolean;
}

/**
 * Per exposed account: a paid change within the window after exposure (purchases.paid_at), the
 * money Stripe collected for those purchases net of refunds (the mirrored charge when there is one,
 * else the purchase's amount), whether any was refunded, and whether the account dismissed a prompt
 * of the rule under test after exposure.
 */
const OUTCOMES_SQL = `
  SELECT x.variant, x.country, x.plan_code,
         count(p.id)::int AS purchases,
         sum(COALESCE(c.amount_captured - c.amount_refunded, p.amount))::text AS net,
         min(p.currency) AS currency,
         COALESCE(bool_or(c.amount_refunded > 0), false) AS refunded,
         EXISTS (
           SELECT 1 FROM offer_events ev
           WHERE ev.account_id = x.account_id AND ev.rule_id = $2 AND ev.type IN ('dismiss', 'never')
             AND ev.occurred_at >= x.exposed_at
         ) AS dismissed
  FROM experiment_exposures x
  LEFT JOIN purchases p ON p.account_id = x.account_id
       AND ${STRIPE_PAID_BY('p.paid_at')} > x.exposed_at AND p.paid_at < x.exposed_at + make_interval(days => $3)
  LEFT JOIN charges c ON c.id = p.stripe_charge_id
  WHERE x.experiment_key = $1
  GROUP BY x.experiment_key, x.account_id, x.variant, x.country, x.plan_code, x.exposed_at`;

export class ExperimentOutcomesRepository {
  constructor(private readonly pool: () => Pool) {}

  async outcomes(experimentKey: string, ruleId: string, windowDays: number): Promise<ExposureOutcome[]> {
    const { rows } = await this.pool().query<Row>(OUTCOMES_SQL, [experimentKey, ruleId, windowDays]);
    return rows.map((row) => ({
      variant: row.variant,
      country: row.country,
      plan: row.plan_code,
      converted: row.purchases > 0,
      revenue: row.net === null ? 0 : Number(row.net),
      currency: row.currency,
      refunded: row.refunded,
      dismissed: row.dismissed,
    }));
  }
}
