import type { DataSource } from 'typeorm';
import { recordOutboundEvent, type SqlRunner } from '../events/record-outbound-event';

/** An account's reverse trial (one per account, ever: account_trials_one_reverse_trial). */
export interface ReverseTrial {
  accountId: string;
  planCode: string;
  startedAt: Date;
  endsAt: Date;
  outcome: 'converted' | 'ended' | null;
}

interface Row {
  account_id: string;
  plan_code: string;
  started_at: Date;
  ends_at: Date;
  outcome: 'converted' | 'ended' | null;
}

async function rowsOf<T>(sql: SqlRunner, text: string, values: unknown[]): Promise<T[]> {
  const result = await sql.query(text, values);
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}

const toTrial = (row: Row): ReverseTrial => ({
  accountId: row.account_id,
  planCode: row.plan_code,
  startedAt: new Date(row.started_at),
  endsAt: new Date(row.ends_at),
  outcome: row.outcome,
});

/** Reverse trials' outcomes; each write emits its outbound event in the caller's transaction. */
export const reverseTrials = {
  async of(dataSource: DataSource, accountId: string): Promise<ReverseTrial | null> {
    const [row] = await rowsOf<Row>(
      dataSource,
      `SELECT account_id, plan_code, started_at, ends_at, outcome FROM account_trials
        WHERE account_id = $1 AND kind = 'reverse_trial'`,
      [accountId],
    );
    return row ? toTrial(row) : null;
  },

  /** A paid plan bought before the reverse trial's end converts it (analytics), with `trial.converted`. */
  async convert(sql: SqlRunner, accountId: string, at: Date): Promise<void> {
    const rows = await rowsOf<Row>(
      sql,
      `WITH done AS (
         UPDATE account_trials SET outcome = 'converted', outcome_at = $2
          WHERE account_id = $1 AND kind = 'reverse_trial' AND outcome IS NULL AND ends_at > $2
          RETURNING account_id, plan_code, started_at, ends_at, outcome)
       SELECT * FROM done`,
      [accountId, at],
    );
    for (const row of rows) await emit(sql, 'converted', toTrial(row), at);
  },

  /**
   * Records every reverse trial whose end has passed by `now` as ended, once, with `trial.ended`.
   * NOTE: bookkeeping only: entitlements already fell back at the end instant (a time-based read).
   */
  async endDue(sql: SqlRunner, now: Date): Promise<number> {
    const rows = await rowsOf<Row>(
      sql,
      `WITH done AS (
         UPDATE account_trials SET outcome = 'ended', outcome_at = ends_at
          WHERE kind = 'reverse_trial' AND outcome IS NULL AND ends_at <= $1
          RETURNING account_id, plan_code, started_at, ends_at, outcome)
       SELECT * FROM done`,
      [now],
    );
    for (const row of rows) {
      const trial = toTrial(row);
      await emit(sql, 'ended', trial, trial.endsAt);
    }
    return rows.length;
  },
};

function emit(sql: SqlRunner, outcome: 'converted' | 'ended', trial: ReverseTrial, at: Date) {
  return recordOutboundEvent(sql, {
    type: outcome === 'converted' ? 'trial.converted' : 'trial.ended',
    accountId: trial.accountId,
    data: { plan: trial.planCode, kind: 'reverse_trial', subscription: null, ends_at: trial.endsAt.toISOString() },
    dedupeKey: `trial.${outcome}:${trial.accountId}:reverse_trial`,
    occurredAt: at,
  });
}
