import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The local mirror of each account's Stripe subscription. Stripe is the source of
 * truth; webhooks, plan changes and reconciliation write this table, every other
 * module reads it (entitlements follow the paid state only).
 */
export class Subscriptions1763900050000 implements MigrationInterface {
  name = 'Subscriptions1763900050000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE subscriptions (
        id                   text PRIMARY KEY,
        account_id           text NOT NULL REFERENCES accounts(id),
        status               text NOT NULL CHECK (status IN ('incomplete', 'incomplete_expired', 'trialing', 'active', 'past_due', 'canceled', 'unpaid', 'paused')),
        plan_code            text NOT NULL,
        interval             text NOT NULL CHECK (interval IN ('month', 'year')),
        currency             text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
        billing_cycle_anchor timestamptz NOT NULL,
        current_period_start timestamptz NOT NULL,
        current_period_end   timestamptz NOT NULL CHECK (current_period_end > current_period_start),
        cancel_at_period_end boolean NOT NULL DEFAULT false,
        canceled_at          timestamptz,
        trial_end            timestamptz,
        items                jsonb NOT NULL DEFAULT '[]'::jsonb,
        pending_update       jsonb,
        scheduled_change     jsonb,
        stripe_created_at    timestamptz NOT NULL,
        synced_at            timestamptz NOT NULL DEFAULT now(),
        created_at           timestamptz NOT NULL DEFAULT now(),
        updated_at           timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX subscriptions_account_idx ON subscriptions (account_id)`);
    // NOTE: at most one subscription per account may grant a plan at a time.
    await q.query(`
      CREATE UNIQUE INDEX subscriptions_one_live_per_account ON subscriptions (account_id)
      WHERE status IN ('trialing', 'active', 'past_due', 'unpaid', 'paused')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE subscriptions');
  }
}
