import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Why a customer declined a prompt (issue #20): one reason per prompt, with the offer, its price
 * and the account's locale at the time, for the funnel per offer and locale and for the
 * "too expensive" guardrail (no offer at the same or a higher price for 30 days).
 */
export class PromptDeclineReasons1763902320000 implements MigrationInterface {
  name = 'PromptDeclineReasons1763902320000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE prompt_decline_reasons (
        prompt_id      text PRIMARY KEY REFERENCES offer_prompts(id),
        account_id     text NOT NULL,
        rule_id        text NOT NULL,
        offer_type     text NOT NULL,
        offer_code     text NOT NULL,
        offer_interval text NOT NULL,
        amount         bigint NOT NULL CHECK (amount >= 0),
        currency       text NOT NULL,
        locale         text NOT NULL,
        reason         text NOT NULL CHECK (reason IN ('too_expensive', 'not_now', 'missing_feature', 'other')),
        reason_text    text CHECK (char_length(reason_text) <= 500),
        occurred_at    timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX prompt_decline_reasons_account ON prompt_decline_reasons (account_id, occurred_at)');
    await q.query('CREATE INDEX prompt_decline_reasons_occurred ON prompt_decline_reasons (occurred_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE prompt_decline_reasons');
  }
}
