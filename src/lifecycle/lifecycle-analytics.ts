import type { DataSource } from 'typeorm';

export interface Period {
  from: Date;
  to: Date;
}

interface Count {
  [key: string]: string;
}

/** converted / decided (converted + ended): a trial still running has not decided yet; null when none. */
const rate = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part / whole) * 10000) / 10000;

// Trials started in the period, by kind and outcome. A reverse trial past its end ($3, the service
// clock) has ended even before the janitor recorded it: it fell back to Free at that instant.
const TRIALS_SQL = `
  SELECT kind, count(*) AS started, count(*) FILTER (WHERE outcome = 'converted') AS converted,
         count(*) FILTER (WHERE outcome = 'ended'
           OR (kind = 'reverse_trial' AND outcome IS NULL AND ends_at <= $3)) AS ended
    FROM account_trials WHERE started_at >= $1 AND started_at < $2 GROUP BY kind`;

const RECOVERIES_SQL = `
  SELECT count(*) AS raised, count(converted_at) AS converted
    FROM checkout_recoveries WHERE raised_at >= $1 AND raised_at < $2`;

const REASONS_SQL = `
  SELECT coalesce(reason, 'none') AS reason, count(*) AS n
    FROM subscription_cancellations WHERE created_at >= $1 AND created_at < $2
   GROUP BY 1 ORDER BY 1`;

// NOTE: a save is an account that saw a cancel preview offering a smaller plan and then switched to
// that plan (a downgrade scheduled or a change applied) without cancelling after the preview.
const SAVES_SQL = `
  WITH previewed AS (
    SELECT account_id, min(created_at) AS first_at, array_agg(DISTINCT alternative_plan) AS alternatives
      FROM cancel_previews WHERE created_at >= $1 AND created_at < $2 GROUP BY account_id)
  SELECT count(*) AS previewed,
         count(*) FILTER (WHERE EXISTS (
             SELECT 1 FROM billing_operations o
              WHERE o.account_id = p.account_id AND o.created_at > p.first_at AND o.kind IN ('schedule', 'update')
                AND o.result->>'status' IN ('scheduled', 'applied')
                AND o.stripe_params->'bought'->>'plan' = ANY(p.alternatives))
           AND NOT EXISTS (
             SELECT 1 FROM subscription_cancellations c
              WHERE c.account_id = p.account_id AND c.created_at > p.first_at)) AS saved
    FROM previewed p`;

/** Trial, reverse-trial and recovery conversion, cancel reasons and saves for [from, to). */
export async function lifecycleReport(
  dataSource: DataSource,
  period: Period,
  now: Date = new Date(),
): Promise<Record<string, unknown>> {
  const values = [period.from, period.to];
  const [trialRows, [recovery], reasonRows, [saves]] = (await Promise.all([
    dataSource.query(TRIALS_SQL, [...values, now]),
    dataSource.query(RECOVERIES_SQL, values),
    dataSource.query(REASONS_SQL, values),
    dataSource.query(SAVES_SQL, values),
  ])) as [Count[], Count[], Count[], Count[]];
  const trial = (kind: string) => {
    const row = trialRows.find((candidate) => candidate.kind === kind);
    const started = Number(row?.started ?? 0);
    const converted = Number(row?.converted ?? 0);
    const ended = Number(row?.ended ?? 0);
    return {
      started,
      converted,
      ended,
      running: started - converted - ended,
      conversion_rate: rate(converted, converted + ended),
    };
  };
  const raised = Number(recovery?.raised ?? 0);
  const recovered = Number(recovery?.converted ?? 0);
  const previewed = Number(saves?.previewed ?? 0);
  const saved = Number(saves?.saved ?? 0);
  return {
    object: 'lifecycle_report',
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    trials: trial('trial'),
    reverse_trials: trial('reverse_trial'),
    recoveries: { raised, converted: recovered, conversion_rate: rate(recovered, raised) },
    cancellations: {
      total: reasonRows.reduce((sum, row) => sum + Number(row.n), 0),
      reasons: reasonRows.map((row) => ({ reason: row.reason, count: Number(row.n) })),
    },
    cancel_previews: { accounts: previewed, saved, save_rate: rate(saved, previewed) },
  };
}
