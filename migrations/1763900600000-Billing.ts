import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Quotes, the billing operation journal and purchases.
 * - quotes: what Stripe previewed (the exact parameters), for whom, until when, and the
 *   catalog and subscription fingerprints the preview assumed.
 * - billing_operations: one row per change sent to Stripe (claimed → sent → completed|failed,
 *   or awaiting_customer while 3-D Secure or a new card is pending); Stripe idempotency keys
 *   derive from its id; at most one unfinished operation per account, and one live per quote.
 * - purchases: each paid change (what was bought, what it replaced, the money), for guarantees.
 */
export class Billing1763900600000 implements MigrationInterface {
  name = 'Billing1763900600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE quotes (
        id                       text PRIMARY KEY,
        account_id               text NOT NULL REFERENCES accounts(id),
        kind                     text NOT NULL CHECK (kind IN ('update', 'schedule', 'checkout', 'cancel')),
        request                  jsonb NOT NULL,
        stripe_params            jsonb NOT NULL,
        currency                 text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
        amount_due_now           bigint NOT NULL,
        proration_date           bigint,
        response                 jsonb NOT NULL,
        catalog_fingerprint      text NOT NULL,
        subscription_fingerprint text NOT NULL,
        expires_at               timestamptz NOT NULL,
        created_at               timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX quotes_account_idx ON quotes (account_id, created_at)');

    await q.query(`
      CREATE TABLE billing_operations (
        id                     text PRIMARY KEY,
        account_id             text NOT NULL REFERENCES accounts(id),
        quote_id               text REFERENCES quotes(id),
        kind                   text NOT NULL CHECK (kind IN ('update', 'schedule', 'checkout', 'cancel', 'resume', 'cancel_schedule')),
        state                  text NOT NULL CHECK (state IN ('claimed', 'sent', 'awaiting_customer', 'completed', 'failed')),
        stripe_idempotency_key text NOT NULL,
        stripe_params          jsonb NOT NULL,
        stripe_object_id       text,
        result                 jsonb,
        attempts               integer NOT NULL DEFAULT 0,
        lease_until            timestamptz,
        created_at             timestamptz NOT NULL DEFAULT now(),
        updated_at             timestamptz NOT NULL DEFAULT now()
      )`);
    // NOTE: per-account serialisation: a second change while one is claimed or sent is a unique violation (409).
    await q.query(`
      CREATE UNIQUE INDEX billing_operations_one_unfinished_per_account ON billing_operations (account_id)
      WHERE state IN ('claimed', 'sent')`);
    await q.query(`
      CREATE UNIQUE INDEX billing_operations_one_live_per_quote ON billing_operations (quote_id)
      WHERE quote_id IS NOT NULL AND state <> 'failed'`);
    await q.query(`
      CREATE INDEX billing_operations_unfinished_idx ON billing_operations (updated_at)
      WHERE state IN ('claimed', 'sent', 'awaiting_customer')`);

    await q.query(`
      CREATE TABLE purchases (
        id                       text PRIMARY KEY,
        account_id               text NOT NULL REFERENCES accounts(id),
        operation_id             text NOT NULL UNIQUE REFERENCES billing_operations(id),
        kind                     text NOT NULL CHECK (kind IN ('plan_change', 'add_on', 'subscription_start')),
        bought                   jsonb NOT NULL,
        previous                 jsonb NOT NULL,
        currency                 text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
        amount                   bigint NOT NULL CHECK (amount >= 0),
        stripe_subscription_id   text,
        stripe_invoice_id        text,
        stripe_payment_intent_id text,
        stripe_charge_id         text,
        paid_at                  timestamptz NOT NULL,
        created_at               timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX purchases_account_idx ON purchases (account_id, paid_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE purchases');
    await q.query('DROP TABLE billing_operations');
    await q.query('DROP TABLE quotes');
  }
}
