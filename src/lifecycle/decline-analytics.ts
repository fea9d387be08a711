import type { Pool } from 'pg';

export interface DeclineReasonCount {
  /** The offer rule, as the funnel's `offer` names it. */
  offer: string;
  offer_type: string;
  offer_code: string;
  locale: string;
  reason: string;
  declines: number;
}

/** Declines with a reason in [from, to), per offer (rule), locale and reason. */
export async function declineReasonCounts(pool: Pool, period: { from: Date; to: Date }): Promise<DeclineReasonCount[]> {
  const { rows } = await pool.query<Omit<DeclineReasonCount, 'declines'> & { declines: string }>(
    `SELECT rule_id AS offer, offer_type, offer_code, locale, reason, count(*) AS declines
       FROM prompt_decline_reasons
      WHERE occurred_at >= $1 AND occurred_at < $2
      GROUP BY rule_id, offer_type, offer_code, locale, reason
      ORDER BY rule_id, locale, reason`,
    [period.from, period.to],
  );
  return rows.map((row) => ({ ...row, declines: Number(row.declines) }));
}
