import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The offers engine's state: rules (seeded from offers/offer-rules.yaml when empty, edited
 * through /admin/v1/offers), every prompt shown (one row per account, rule and period: the
 * prompt id that events and conversions attach to), and what customers did with them.
 * NOTE: offer_events is unique per prompt, type and time bucket, so a double click or a
 * retried request records once; a dismissal next week records again (it restarts the cool-down).
 */
export class Offers1763900500000 implements MigrationInterface {
  name = 'Offers1763900500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE offer_rules (
        id         text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9_]{0,63}$'),
        position   integer NOT NULL,
        definition jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE offer_prompts (
        id                 text PRIMARY KEY CHECK (id ~ '^prm_[0-9a-f]{24}$'),
        account_id         text NOT NULL REFERENCES accounts(id),
        rule_id            text NOT NULL,
        period_key         text NOT NULL,
        kind               text NOT NULL CHECK (kind IN ('upsell', 'cross_sell', 'bundle')),
        offer_type         text NOT NULL CHECK (offer_type IN ('plan', 'addon', 'bundle')),
        offer_code         text NOT NULL,
        offer_interval     text NOT NULL,
        amount             bigint NOT NULL CHECK (amount >= 0),
        currency           text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
        placement          text NOT NULL,
        tone               text NOT NULL,
        experiment_key     text,
        experiment_variant text,
        first_shown_at     timestamptz NOT NULL,
        last_shown_at      timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX offer_prompts_account_idx ON offer_prompts (account_id, first_shown_at)`);
    await q.query(`
      CREATE TABLE offer_events (
        id          bigserial PRIMARY KEY,
        prompt_id   text NOT NULL REFERENCES offer_prompts(id),
        account_id  text NOT NULL,
        rule_id     text NOT NULL,
        type        text NOT NULL CHECK (type IN ('impression', 'click', 'dismiss', 'snooze', 'never')),
        placement   text,
        occurred_at timestamptz NOT NULL,
        bucket      bigint NOT NULL,
        UNIQUE (prompt_id, type, bucket)
      )`);
    await q.query(`CREATE INDEX offer_events_account_time_idx ON offer_events (account_id, occurred_at)`);
    await q.query(`CREATE INDEX offer_events_account_never_idx ON offer_events (account_id) WHERE type = 'never'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE offer_events');
    await q.query('DROP TABLE offer_prompts');
    await q.query('DROP TABLE offer_rules');
  }
}
