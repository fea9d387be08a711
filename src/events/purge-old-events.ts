import type { Pool } from 'pg';

const DAY_MS = 86_400_000;

// NOTE: an event goes only when every endpoint is done with it: fanned out, and no delivery still
// pending (an endpoint the auto-disable stopped keeps its queue until an operator re-enables or
// deletes it). Its deliveries go with it (ON DELETE CASCADE). Dedupe keys of the purged events are
// free again, which is safe past the retention's 30-day minimum: every key guards a cause that stops
// recurring well before (a guarantee announced at most 3 days before its deadline, a trial's end,
// a Checkout session, which checkout_recoveries also keys).
const PURGE_SQL = `
  DELETE FROM outbound_events
   WHERE id IN (
     SELECT o.id FROM outbound_events o
      WHERE o.occurred_at < $1 AND o.fanned_out_at IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM event_deliveries d WHERE d.event_id = o.id AND d.status = 'pending')
      ORDER BY o.occurred_at
      LIMIT $2)`;

export interface PurgeOldEventsInput {
  pool: () => Pool;
  now: Date;
  /** OUTBOUND_EVENTS_RETENTION_DAYS: events older than this, with their deliveries, are deleted. */
  retentionDays: number;
  /** Rows a statement deletes, so that no run holds locks on the outbox for long. */
  batchSize?: number;
  /** Statements a run makes at most; the next run goes on where it stopped. */
  maxBatches?: number;
}

/**
 * Deletes outbound events (and their deliveries) older than the retention, in batches, so the
 * outbox does not grow without bound. Answers how many events went.
 */
export async function purgeOldEvents(input: PurgeOldEventsInput): Promise<number> {
  const cutoff = new Date(input.now.getTime() - input.retentionDays * DAY_MS);
  const batchSize = input.batchSize ?? 5_000;
  const maxBatches = input.maxBatches ?? 100;
  let purged = 0;
  for (let batch = 0; batch < maxBatches; batch += 1) {
    const { rowCount } = await input.pool().query(PURGE_SQL, [cutoff, batchSize]);
    purged += rowCount ?? 0;
    if ((rowCount ?? 0) < batchSize) break;
  }
  return purged;
}
