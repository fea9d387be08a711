import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Request counters shared by every instance (rate-limiter-flexible's PostgreSQL store, the
 * table it would create itself, made here so that the service never runs DDL at request time).
 * `key` is "<bucket>:<who>", `points` the requests counted in the window, `expire` its end in
 * epoch milliseconds. Rows past `expire` are reset on their next use and swept by the library.
 */
export class RateLimits1763902000000 implements MigrationInterface {
  name = 'RateLimits1763902000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rate_limits (
        key    varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE rate_limits');
  }
}
