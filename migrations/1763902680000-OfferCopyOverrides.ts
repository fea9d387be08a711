import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An operator's per-locale copy for one offer rule (issue #23), beside the rule it words:
 * `{ "de": { "title": "…", "body": "…", "cta": "…" } }`. Writing it moves the row's updated_at,
 * so the rules' version check carries the edit to every instance.
 */
export class OfferCopyOverrides1763902680000 implements MigrationInterface {
  name = 'OfferCopyOverrides1763902680000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE offer_rules ADD COLUMN copy_overrides jsonb NOT NULL DEFAULT '{}'::jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE offer_rules DROP COLUMN copy_overrides');
  }
}
