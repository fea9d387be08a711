import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The retention purge (src/events/purge-old-events.ts) deletes old events and, by cascade, their
 * deliveries: both the cascade and the purge's "no delivery pending" test look deliveries up by
 * event, which the (endpoint_id, event_id) unique index cannot serve.
 */
export class OutboundEventRetention1765000000000 implements MigrationInterface {
  name = 'OutboundEventRetention1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX event_deliveries_event ON event_deliveries (event_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX event_deliveries_event');
  }
}
