import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency-Key records for POSTs that move money or change subscriptions:
 * one row per (caller scope, key) holds the request's fingerprint and, once
 * finished, the response to replay. Kept at least 24 hours.
 */
export class IdempotencyKeys1763900060000 implements MigrationInterface {
  name = 'IdempotencyKeys1763900060000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_keys (
        scope           text NOT NULL,
        key             text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
        method          text NOT NULL,
        path            text NOT NULL,
        request_hash    text NOT NULL,
        state           text NOT NULL CHECK (state IN ('in_progress', 'completed')),
        response_status integer,
        response_body   jsonb,
        created_at      timestamptz NOT NULL DEFAULT now(),
        completed_at    timestamptz,
        PRIMARY KEY (scope, key)
      )`);
    await q.query('CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE idempotency_keys');
  }
}
