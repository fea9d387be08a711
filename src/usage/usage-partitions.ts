import type { Pool } from 'pg';

/** Months kept ready after the current one, so a month's turn never sends events to the default partition. */
export const MONTHS_AHEAD = 3;

/**
 * The shortest retention allowed. NOTE: an event is accepted up to 400 days late (MAX_EVENT_AGE_MS);
 * its month's partition must still exist then, or a retry of it would count again. 14 whole
 * months before the current month's start are at least 424 days.
 */
export const MIN_RETENTION_MONTHS = 14;

/** The start (00:00 UTC on the 1st) of the month `offset` months from the one containing `at`. */
export function monthStart(at: Date, offset = 0): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + offset, 1));
}

/** The partition holding the events of the month that contains `at`. */
export function partitionName(at: Date): string {
  return `usage_events_${at.getUTCFullYear()}_${String(at.getUTCMonth() + 1).padStart(2, '0')}`;
}

export interface PartitionPlan {
  /** Month starts whose partitions must exist: the current month and MONTHS_AHEAD after it. */
  months: Date[];
  /** Partitions that end at or before this instant are dropped whole; older default rows are deleted. */
  cutoff: Date;
}

/** What maintenance does at `now` with a retention of `retentionMonths` whole months (pure). */
export function partitionPlan(now: Date, retentionMonths: number): PartitionPlan {
  if (!Number.isInteger(retentionMonths) || retentionMonths < MIN_RETENTION_MONTHS) {
    throw new RangeError(`usage events retention must be a whole number ≥ ${MIN_RETENTION_MONTHS} months`);
  }
  return {
    months: Array.from({ length: MONTHS_AHEAD + 1 }, (_, k) => monthStart(now, k)),
    cutoff: monthStart(now, -retentionMonths),
  };
}

export interface PartitionReport {
  created: string[];
  dropped: string[];
  /** Rows of the default partition older than the cutoff, deleted. */
  expiredDefaultRows: number;
}

/**
 * Creates the coming months' partitions of usage_events and drops those wholly older than the
 * retention, in one transaction; instances running it at once take turns (advisory lock).
 * NOTE: no reader needs old events: counters, gauges and crossings live in their own tables
 * (docs/usage-partitions.md), so a dropped month changes no entitlement, projection or refund.
 */
export async function maintainUsagePartitions(
  pool: Pool,
  now: Date,
  retentionMonths: number,
): Promise<PartitionReport> {
  const plan = partitionPlan(now, retentionMonths);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.usage_events partitions'))");
    const created: string[] = [];
    for (const month of plan.months) {
      const { rows } = await client.query<{ created: boolean }>('SELECT usage_events_create_partition($1) AS created', [
        month.toISOString(),
      ]);
      if (rows[0]?.created) created.push(partitionName(month));
    }
    const dropped = await client.query<{ name: string }>('SELECT usage_events_drop_partitions_before($1) AS name', [
      plan.cutoff.toISOString(),
    ]);
    const expired = await client.query('DELETE FROM usage_events_default WHERE occurred_at < $1', [
      plan.cutoff.toISOString(),
    ]);
    await client.query('COMMIT');
    return { created, dropped: dropped.rows.map((r) => r.name), expiredDefaultRows: expired.rowCount ?? 0 };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
