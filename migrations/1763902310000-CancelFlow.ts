import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The cancel flow (issue #20): each cancel preview shown (with the alternative it offered, for
 * "saves": a preview followed by a switch to that alternative instead of a cancel), and each
 * cancellation with its optional reason, one per cancel operation.
 */
export class CancelFlow1763902310000 implements MigrationInterface {
  name = 'CancelFlow1763902310000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE cancel_previews (
        id                   bigserial PRIMARY KEY,
        account_id           text NOT NULL,
        subscription_id      text NOT NULL,
        plan_code            text NOT NULL,
        alternative_plan     text,
        alternative_interval text CHECK (alternative_interval IN ('month', 'year')),
        created_at           timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX cancel_previews_created ON cancel_previews (created_at)');
    await q.query('CREATE INDEX cancel_previews_account ON cancel_previews (account_id, created_at)');
    await q.query(`
      CREATE TABLE subscription_cancellations (
        operation_id    text PRIMARY KEY,
        account_id      text NOT NULL,
        subscription_id text NOT NULL,
        plan_code       text NOT NULL,
        reason          text CHECK (reason IN ('too_expensive', 'missing_feature', 'not_using', 'switching', 'other')),
        reason_text     text CHECK (char_length(reason_text) <= 500),
        effective_at    timestamptz,
        created_at      timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX subscription_cancellations_created ON subscription_cancellations (created_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE subscription_cancellations');
    await q.query('DROP TABLE cancel_previews');
  }
}
