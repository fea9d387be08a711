import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox row is the job (docs/ARCHITECTURE.md, "Webhooks"): workers claim due rows straight
 * from `webhook_events` with `FOR UPDATE SKIP LOCKED`. `next_attempt_at` is when a row is due: on
 * arrival, after a failure's back-off, or when a claim's lease runs out (a worker that died).
 * The partial index holds only the rows that may still be due, so it stays small however long
 * the inbox grows. NOTE: `now()` is stable, so PostgreSQL adds the column without rewriting the
 * table (existing rows get the migration's time: any left waiting are due at once).
 */
export class WebhookInboxQueue1765300000000 implements MigrationInterface {
  name = 'WebhookInboxQueue1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook_events ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now()`);
    await q.query(
      `UPDATE webhook_events SET next_attempt_at = COALESCE(locked_until, now()) WHERE status = 'processing'`,
    );
    await q.query(
      `CREATE INDEX webhook_events_due_idx ON webhook_events (next_attempt_at)
       WHERE status IN ('received', 'failed', 'processing')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX webhook_events_due_idx');
    await q.query('ALTER TABLE webhook_events DROP COLUMN next_attempt_at');
  }
}
