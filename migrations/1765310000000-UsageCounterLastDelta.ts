import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * usage_counters.last_delta: what the last batch added to the row, written by the same upsert
 * that adds it (src/usage/usage-ingest.repository.ts). The upsert's RETURNING then gives a
 * counter's total before the batch (used - last_delta) without joining the batch's deltas again:
 * that join, of two CTEs the planner cannot size, ran as a nested loop and cost PostgreSQL more
 * than the counter updates themselves (about 3 ms of a batch of 500 events).
 * NOTE: fillfactor 80 leaves room on each page, so that updating a counter (every batch touches
 * its accounts' rows; no indexed column changes) stays a heap-only update without index entries.
 */
export class UsageCounterLastDelta1765310000000 implements MigrationInterface {
  name = 'UsageCounterLastDelta1765310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE usage_counters ADD COLUMN last_delta bigint NOT NULL DEFAULT 0');
    await q.query('ALTER TABLE usage_counters SET (fillfactor = 80)');
    await q.query('ALTER TABLE usage_gauges SET (fillfactor = 80)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE usage_gauges RESET (fillfactor)');
    await q.query('ALTER TABLE usage_counters RESET (fillfactor)');
    await q.query('ALTER TABLE usage_counters DROP COLUMN last_delta');
  }
}
