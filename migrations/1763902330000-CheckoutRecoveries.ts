import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Abandoned Checkout recovery (issue #20): one row per Checkout session left open past
 * CHECKOUT_RECOVERY_MINUTES or expired — at most one recovery per session — and the purchase
 * that converted it (attributed in the funnel).
 */
export class CheckoutRecoveries1763902330000 implements MigrationInterface {
  name = 'CheckoutRecoveries1763902330000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE checkout_recoveries (
        session_id             text PRIMARY KEY,
        operation_id           text NOT NULL,
        account_id             text NOT NULL,
        plan_code              text NOT NULL,
        interval               text NOT NULL CHECK (interval IN ('month', 'year')),
        cause                  text NOT NULL CHECK (cause IN ('open_too_long', 'expired')),
        raised_at              timestamptz NOT NULL,
        converted_operation_id text,
        converted_at           timestamptz
      )`);
    await q.query('CREATE INDEX checkout_recoveries_account ON checkout_recoveries (account_id, raised_at)');
    await q.query('CREATE INDEX checkout_recoveries_raised ON checkout_recoveries (raised_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE checkout_recoveries');
  }
}
