import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transactional outbox of Tierlift's own events (issue #21): a row is written in the same
 * transaction as the state change it reports, so a crash between the change and the delivery
 * loses nothing. `seq` orders events (per account for delivery); `dedupe_key` makes an emission
 * idempotent (one event per cause, e.g. "checkout.abandoned:cs_123"), so the same cause retried
 * never becomes two different events.
 */
export class OutboundEvents1763902100000 implements MigrationInterface {
  name = 'OutboundEvents1763902100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbound_events (
        id          text PRIMARY KEY CHECK (id ~ '^evt_[A-Za-z0-9]{20,40}$'),
        seq         bigserial NOT NULL UNIQUE,
        type        text NOT NULL CHECK (type ~ '^[a-z_]+(\\.[a-z_]+)+$'),
        version     integer NOT NULL DEFAULT 1 CHECK (version >= 1),
        account_id  text,
        data        jsonb NOT NULL,
        dedupe_key  text UNIQUE,
        occurred_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX outbound_events_account_seq ON outbound_events (account_id, seq)');
    await q.query('CREATE INDEX outbound_events_occurred ON outbound_events (occurred_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE outbound_events');
  }
}
