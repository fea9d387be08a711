import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Usage metering: every accepted event once (by account and event id), per-period
 * counters, the latest level of each gauge, and threshold crossings once per period.
 * NOTE: event ids are scoped per account — the SaaS names its events; two accounts
 * may reuse an id without colliding, one account can never count an id twice.
 * NOTE: usage_events has no foreign key on purpose: ingestion checks the accounts of a
 * batch in one read, and a per-row RI trigger would cost a fifth of the insert rate.
 * The aggregate tables (few rows per batch) keep theirs.
 */
export class Usage1763900200000 implements MigrationInterface {
  name = 'Usage1763900200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE usage_events (
        account_id   text NOT NULL,
        event_id     text NOT NULL CHECK (length(event_id) BETWEEN 1 AND 128),
        feature      text NOT NULL,
        action       text NOT NULL CHECK (action IN ('increment', 'set')),
        quantity     bigint NOT NULL CHECK (quantity >= 0),
        occurred_at  timestamptz NOT NULL,
        period_start timestamptz NOT NULL,
        received_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, event_id)
      )`);
    await q.query(`
      CREATE TABLE usage_counters (
        account_id   text NOT NULL REFERENCES accounts(id),
        feature      text NOT NULL,
        period_start timestamptz NOT NULL,
        used         bigint NOT NULL CHECK (used >= 0),
        updated_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, feature, period_start)
      )`);
    await q.query(`
      CREATE TABLE usage_gauges (
        account_id  text NOT NULL REFERENCES accounts(id),
        feature     text NOT NULL,
        value       bigint NOT NULL CHECK (value >= 0),
        observed_at timestamptz NOT NULL,
        event_id    text NOT NULL,
        updated_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, feature)
      )`);
    await q.query(`
      CREATE TABLE usage_threshold_crossings (
        account_id         text NOT NULL REFERENCES accounts(id),
        feature            text NOT NULL,
        period_start       timestamptz NOT NULL,
        period_end         timestamptz NOT NULL,
        threshold          integer NOT NULL CHECK (threshold BETWEEN 1 AND 1000),
        used               bigint NOT NULL,
        limit_value        bigint NOT NULL,
        projected_total    bigint NOT NULL,
        projected_limit_at timestamptz,
        crossed_at         timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, feature, period_start, threshold)
      )`);
    await q.query(`CREATE INDEX usage_threshold_crossings_recent_idx ON usage_threshold_crossings (crossed_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE usage_threshold_crossings');
    await q.query('DROP TABLE usage_gauges');
    await q.query('DROP TABLE usage_counters');
    await q.query('DROP TABLE usage_events');
  }
}
