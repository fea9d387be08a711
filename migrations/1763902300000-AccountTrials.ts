import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Trials an account has had (issue #20): one row per account, plan and kind, ever, so a second
 * trial of the same plan is refused. `kind` is `trial` (a Stripe subscription trialing, card
 * collected) or `reverse_trial` (a local grant without a card). `outcome` is filled when it ends:
 * `converted` (the first real invoice was paid) or `ended` (it fell back to Free).
 */
export class AccountTrials1763902300000 implements MigrationInterface {
  name = 'AccountTrials1763902300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE account_trials (
        account_id             text NOT NULL,
        plan_code              text NOT NULL,
        kind                   text NOT NULL CHECK (kind IN ('trial', 'reverse_trial')),
        started_at             timestamptz NOT NULL,
        ends_at                timestamptz NOT NULL CHECK (ends_at > started_at),
        stripe_subscription_id text,
        outcome                text CHECK (outcome IN ('converted', 'ended')),
        outcome_at             timestamptz,
        PRIMARY KEY (account_id, plan_code, kind)
      )`);
    await q.query('CREATE INDEX account_trials_started ON account_trials (started_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE account_trials');
  }
}
