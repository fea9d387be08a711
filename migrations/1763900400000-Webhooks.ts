import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Stripe webhook inbox, the exactly-once effect ledger, and the local mirrors
 * of invoices and charges that webhooks and reconciliation keep equal to Stripe.
 * Money columns are bigint minor units beside their currency.
 */
export class Webhooks1763900400000 implements MigrationInterface {
  name = 'Webhooks1763900400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_events (
        id           text PRIMARY KEY,
        type         text NOT NULL,
        api_version  text,
        livemode     boolean NOT NULL DEFAULT false,
        created      timestamptz NOT NULL,
        object_id    text,
        payload      jsonb NOT NULL,
        status       text NOT NULL DEFAULT 'received'
                     CHECK (status IN ('received', 'processing', 'processed', 'ignored', 'failed', 'dead')),
        attempts     integer NOT NULL DEFAULT 0,
        last_error   text,
        outcome      text,
        claim_token  uuid,
        locked_until timestamptz,
        received_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
        processed_at timestamptz,
        updated_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX webhook_events_newest_idx ON webhook_events (received_at DESC, id DESC)`);
    await q.query(`CREATE INDEX webhook_events_status_idx ON webhook_events (status, received_at DESC, id DESC)`);
    await q.query(`CREATE INDEX webhook_events_object_idx ON webhook_events (object_id)`);
    // NOTE: one row per (event, effect): inserting it in the effect's own transaction makes the effect exactly-once.
    await q.query(`
      CREATE TABLE webhook_effects (
        event_id   text NOT NULL REFERENCES webhook_events(id),
        effect     text NOT NULL,
        target_id  text,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (event_id, effect)
      )`);
    await q.query(`
      CREATE TABLE invoices (
        id                text PRIMARY KEY,
        account_id        text NOT NULL REFERENCES accounts(id),
        customer_id       text NOT NULL,
        subscription_id   text,
        status            text NOT NULL,
        currency          text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
        amount_due        bigint NOT NULL,
        amount_paid       bigint NOT NULL,
        amount_remaining  bigint NOT NULL,
        total             bigint NOT NULL,
        billing_reason    text,
        period_start      timestamptz,
        period_end        timestamptz,
        paid_at           timestamptz,
        lines             jsonb NOT NULL DEFAULT '[]'::jsonb,
        stripe_created_at timestamptz NOT NULL,
        synced_at         timestamptz NOT NULL DEFAULT now(),
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX invoices_account_idx ON invoices (account_id, stripe_created_at DESC)`);
    await q.query(`CREATE INDEX invoices_subscription_idx ON invoices (subscription_id)`);
    await q.query(`
      CREATE TABLE charges (
        id                text PRIMARY KEY,
        account_id        text NOT NULL REFERENCES accounts(id),
        customer_id       text NOT NULL,
        payment_intent_id text,
        invoice_id        text,
        amount            bigint NOT NULL,
        amount_captured   bigint NOT NULL,
        amount_refunded   bigint NOT NULL CHECK (amount_refunded >= 0),
        currency          text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
        status            text NOT NULL,
        refunded          boolean NOT NULL DEFAULT false,
        disputed          boolean NOT NULL DEFAULT false,
        stripe_created_at timestamptz NOT NULL,
        synced_at         timestamptz NOT NULL DEFAULT now(),
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX charges_account_idx ON charges (account_id, stripe_created_at DESC)`);
    await q.query(`CREATE INDEX charges_payment_intent_idx ON charges (payment_intent_id)`);
    await q.query(`
      CREATE TABLE reconciliation_runs (
        id          bigserial PRIMARY KEY,
        trigger     text NOT NULL CHECK (trigger IN ('manual', 'schedule')),
        started_at  timestamptz NOT NULL,
        finished_at timestamptz NOT NULL,
        checked     integer NOT NULL,
        changed     integer NOT NULL,
        report      jsonb NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE reconciliation_runs');
    await q.query('DROP TABLE charges');
    await q.query('DROP TABLE invoices');
    await q.query('DROP TABLE webhook_effects');
    await q.query('DROP TABLE webhook_events');
  }
}
