import { recordOutboundEvent, type SqlRunner } from '../events/record-outbound-event';

export type TrialKind = 'trial' | 'reverse_trial';

export interface TrialStart {
  accountId: string;
  planCode: string;
  kind: TrialKind;
  startedAt: Date;
  endsAt: Date;
  stripeSubscriptionId: string | null;
}

async function rowsOf<T>(sql: SqlRunner, text: string, values: unknown[]): Promise<T[]> {
  const result = await sql.query(text, values);
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}

/** Trials are recorded once per account, plan and kind, ever; each write emits its outbound event. */
export const trials = {
  async used(sql: SqlRunner, accountId: string, planCode: string, kind: TrialKind = 'trial'): Promise<boolean> {
    const rows = await rowsOf(
      sql,
      'SELECT 1 FROM account_trials WHERE account_id = $1 AND plan_code = $2 AND kind = $3',
      [accountId, planCode, kind],
    );
    return rows.length > 0;
  },

  /** Records a trial that started, with `trial.started`; false (and no event) when it was recorded before. */
  async start(sql: SqlRunner, trial: TrialStart): Promise<boolean> {
    const rows = await rowsOf(
      sql,
      `INSERT INTO account_trials (account_id, plan_code, kind, started_at, ends_at, stripe_subscription_id)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING account_id`,
      [trial.accountId, trial.planCode, trial.kind, trial.startedAt, trial.endsAt, trial.stripeSubscriptionId],
    );
    if (rows.length === 0) return false;
    await recordOutboundEvent(sql, {
      type: 'trial.started',
      accountId: trial.accountId,
      data: {
        plan: trial.planCode,
        kind: trial.kind,
        started_at: trial.startedAt.toISOString(),
        ends_at: trial.endsAt.toISOString(),
        subscription: trial.stripeSubscriptionId,
      },
      dedupeKey: `trial.started:${trial.accountId}:${trial.planCode}:${trial.kind}`,
      occurredAt: trial.startedAt,
    });
    return true;
  },

  /** Ends the open trial of a Stripe subscription (converted or fell back), once, with its event. */
  async finishSubscriptionTrial(
    sql: SqlRunner,
    subscriptionId: string,
    outcome: 'converted' | 'ended',
    at: Date,
  ): Promise<void> {
    const rows = await rowsOf<{ account_id: string; plan_code: string; ends_at: Date }>(
      sql,
      // NOTE: a CTE, so every driver answers rows (TypeORM answers [rows, count] to a bare UPDATE).
      `WITH done AS (
         UPDATE account_trials SET outcome = $2, outcome_at = $3
         WHERE stripe_subscription_id = $1 AND kind = 'trial' AND outcome IS NULL
         RETURNING account_id, plan_code, ends_at)
       SELECT * FROM done`,
      [subscriptionId, outcome, at],
    );
    for (const row of rows)
      await recordOutboundEvent(sql, {
        type: outcome === 'converted' ? 'trial.converted' : 'trial.ended',
        accountId: row.account_id,
        data: {
          plan: row.plan_code,
          kind: 'trial',
          subscription: subscriptionId,
          ends_at: new Date(row.ends_at).toISOString(),
        },
        dedupeKey: `trial.${outcome}:${subscriptionId}`,
        occurredAt: at,
      });
  },
};
