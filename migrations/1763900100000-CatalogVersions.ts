import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every catalog version that was synced (or tried), by content hash: which one is live
 * in Stripe, since when and who synced it. At most one row is live.
 */
export class CatalogVersions1763900100000 implements MigrationInterface {
  name = 'CatalogVersions1763900100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE catalog_versions (
        id           bigserial PRIMARY KEY,
        version      text NOT NULL UNIQUE CHECK (version ~ '^[0-9a-f]{64}$'),
        content      jsonb NOT NULL,
        source_text  text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        created_by   text NOT NULL CHECK (length(created_by) BETWEEN 1 AND 200),
        is_live      boolean NOT NULL DEFAULT false,
        synced_at    timestamptz,
        synced_by    text,
        sync_summary jsonb,
        CHECK (NOT is_live OR synced_at IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX catalog_versions_one_live ON catalog_versions (is_live) WHERE is_live`);
    await q.query(`CREATE INDEX catalog_versions_created_idx ON catalog_versions (created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE catalog_versions');
  }
}
