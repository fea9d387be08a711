import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the subscription mirror alone cannot tell analytics, because it keeps only Stripe's current
 * state: when a subscription really ended (Stripe's `ended_at`; `canceled_at` is the time of the
 * request for a cancellation at period end), and what changed at a renewal without a purchase (a
 * scheduled downgrade's phase starting). Both are written by the mirror's own sync, from Stripe's
 * objects, in the mirror's transaction.
 */
export class SubscriptionRenewalChanges1763900900000 implements MigrationInterface {
  name = 'SubscriptionRenewalChanges1763900900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE subscriptions ADD COLUMN ended_at timestamptz');
    // NOTE: rows mirrored before this column existed: canceled_at is the best date known for them.
    await q.query(`UPDATE subscriptions SET ended_at = canceled_at WHERE status = 'canceled'`);
    // NOTE: one row per subscription and renewal: a repeated or replayed sync records nothing new.
    await q.query(`
      CREATE TABLE subscription_renewal_changes (
        subscription_id text NOT NULL REFERENCES subscriptions(id),
        account_id      text NOT NULL REFERENCES accounts(id),
        effective_at    timestamptz NOT NULL,
        currency        text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
        previous        jsonb NOT NULL,
        current         jsonb NOT NULL,
        recorded_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (subscription_id, effective_at)
      )`);
    await q.query(
      `CREATE INDEX subscription_renewal_changes_effective_idx ON subscription_renewal_changes (effective_at)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE subscription_renewal_changes');
    await q.query('ALTER TABLE subscriptions DROP COLUMN ended_at');
  }
}
