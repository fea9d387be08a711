import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delivery of the outbox (issue #21): operators' endpoints and one delivery row per endpoint and
 * event. `outbound_events.fanned_out_at` marks an event whose deliveries exist: a flag rather than a
 * seq cursor, because a lower seq can commit after a higher one (a cursor would skip it).
 */
export class EventEndpoints1763902200000 implements MigrationInterface {
  name = 'EventEndpoints1763902200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE outbound_events ADD COLUMN fanned_out_at timestamptz');
    await q.query('CREATE INDEX outbound_events_unfanned ON outbound_events (seq) WHERE fanned_out_at IS NULL');
    await q.query(`
      CREATE TABLE event_endpoints (
        id                  text PRIMARY KEY CHECK (id ~ '^ep_[A-Za-z0-9]{20,40}$'),
        url                 text NOT NULL,
        event_types         text[] NOT NULL DEFAULT '{}',
        description         text,
        status              text NOT NULL DEFAULT 'enabled' CHECK (status IN ('enabled', 'disabled')),
        disabled_reason     text,
        secret              text NOT NULL,
        previous_secret     text,
        previous_secret_expires_at timestamptz,
        created_at          timestamptz NOT NULL,
        updated_at          timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE event_deliveries (
        id                 text PRIMARY KEY CHECK (id ~ '^dlv_[A-Za-z0-9]{20,40}$'),
        endpoint_id        text NOT NULL REFERENCES event_endpoints (id) ON DELETE CASCADE,
        event_id           text NOT NULL REFERENCES outbound_events (id) ON DELETE CASCADE,
        event_seq          bigint NOT NULL,
        account_key        text NOT NULL,
        status             text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts           integer NOT NULL DEFAULT 0,
        last_response_code integer,
        last_error         text,
        first_attempt_at   timestamptz,
        last_attempt_at    timestamptz,
        next_attempt_at    timestamptz NOT NULL,
        lease_until        timestamptz,
        created_at         timestamptz NOT NULL,
        UNIQUE (endpoint_id, event_id)
      )`);
    // The claim: pending deliveries due, and the head of each endpoint x account queue.
    await q.query(
      `CREATE INDEX event_deliveries_pending ON event_deliveries (endpoint_id, account_key, event_seq) WHERE status = 'pending'`,
    );
    await q.query(`CREATE INDEX event_deliveries_due ON event_deliveries (next_attempt_at) WHERE status = 'pending'`);
    await q.query('CREATE INDEX event_deliveries_log ON event_deliveries (endpoint_id, created_at DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE event_deliveries');
    await q.query('DROP TABLE event_endpoints');
    await q.query('DROP INDEX outbound_events_unfanned');
    await q.query('ALTER TABLE outbound_events DROP COLUMN fanned_out_at');
  }
}
