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

/** Checkout recoveries raised in [from, to) and how many a purchase converted (attributed to them). */
export async function recoveryCounts(
  pool: Pool,
  period: { from: Date; to: Date },
): Promise<{ raised: number; converted: number }> {
  const { rows } = await pool.query<{ raised: string; converted: string }>(
    `SELECT count(*) AS raised, count(converted_at) AS converted FROM checkout_recoveries
      WHERE raised_at >= $1 AND raised_at < $2`,
    [period.from, period.to],
  );
  return { raised: Number(rows[0]?.raised ?? 0), converted: Number(rows[0]?.converted ?? 0) };
}
