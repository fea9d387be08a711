import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Money-back guarantees.
 * - refund_claims: one row per refund (a customer's claim under a policy, or an operator's
 *   manual refund), which is also its journal: claimed → refunded → completed, or failed.
 *   At most one live claim per purchase (parallel claims make one refund), and per account and
 *   product when the policy says once per product (once_key). Stripe keys `claim-<id>-<step>`.
 * - refund_audit_log: who did what to which claim and why (operators' manual refunds above all).
 * - purchases.starts_at (a training package's start date) and purchases.refunded_at.
 */
export class Guarantees1763900700000 implements MigrationInterface {
  name = 'Guarantees1763900700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE purchases ADD COLUMN starts_at timestamptz, ADD COLUMN refunded_at timestamptz`);
    await q.query(`
      CREATE TABLE refund_claims (
        id               text PRIMARY KEY,
        account_id       text NOT NULL REFERENCES accounts(id),
        purchase_id      text NOT NULL REFERENCES purchases(id),
        product          text NOT NULL,
        purchase_kind    text NOT NULL,
        source           text NOT NULL CHECK (source IN ('customer', 'operator')),
        within_policy    boolean NOT NULL,
        once_key         text,
        reason           text NOT NULL,
        requested_by     text NOT NULL,
        state            text NOT NULL CHECK (state IN ('claimed', 'refunded', 'completed', 'failed')),
        currency         text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
        amount           bigint NOT NULL CHECK (amount > 0),
        stripe_charge_id text,
        stripe_refund_id text,
        reversal         jsonb,
        error            jsonb,
        lease_until      timestamptz,
        confirmed_at     timestamptz,
        completed_at     timestamptz,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now()
      )`);
    // NOTE: the per-purchase lock: a second live claim for the purchase is a unique violation.
    await q.query(
      `CREATE UNIQUE INDEX refund_claims_one_per_purchase ON refund_claims (purchase_id) WHERE state <> 'failed'`,
    );
    await q.query(`CREATE UNIQUE INDEX refund_claims_once_per_product ON refund_claims (once_key)
      WHERE once_key IS NOT NULL AND state <> 'failed'`);
    await q.query('CREATE INDEX refund_claims_account_idx ON refund_claims (account_id, created_at)');
    await q.query('CREATE INDEX refund_claims_charge_idx ON refund_claims (stripe_charge_id)');
    await q.query('CREATE INDEX refund_claims_created_idx ON refund_claims (created_at)');
    await q.query(`
      CREATE TABLE refund_audit_log (
        id         bigserial PRIMARY KEY,
        claim_id   text REFERENCES refund_claims(id),
        actor      text NOT NULL,
        action     text NOT NULL,
        reason     text NOT NULL,
        details    jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX refund_audit_log_claim_idx ON refund_audit_log (claim_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE refund_audit_log');
    await q.query('DROP TABLE refund_claims');
    await q.query('ALTER TABLE purchases DROP COLUMN refunded_at, DROP COLUMN starts_at');
  }
}
