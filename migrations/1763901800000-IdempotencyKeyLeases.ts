import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An in-progress Idempotency-Key names the process running it (`owner`: host/pid/instance) and
 * holds a lease that process renews while the request runs. A key whose process died (kill -9,
 * a crash) is taken over by the client's retry as soon as its lease lapses, or at once when the
 * owner is a process on the same host that no longer exists. `attempts` makes a takeover a
 * compare-and-set: of two concurrent retries, one wins.
 */
export class IdempotencyKeyLeases1763901800000 implements MigrationInterface {
  name = 'IdempotencyKeyLeases1763901800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE idempotency_keys
        ADD COLUMN owner       text,
        ADD COLUMN lease_until timestamptz,
        ADD COLUMN attempts    integer NOT NULL DEFAULT 1`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE idempotency_keys DROP COLUMN owner, DROP COLUMN lease_until, DROP COLUMN attempts');
  }
}
