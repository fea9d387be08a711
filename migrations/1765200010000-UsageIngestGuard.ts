import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The guard of ingestion's one-statement path (src/usage/usage-ingest.repository.ts): a batch
 * that crosses no threshold commits in a single autocommit statement; one that does raises
 * SQLSTATE TL001 here, its statement rolls back whole, and the batch runs again in a
 * transaction that records its crossings with the counters.
 */
export class UsageIngestGuard1765200010000 implements MigrationInterface {
  name = 'UsageIngestGuard1765200010000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION usage_ingest_no_crossing(crossed boolean) RETURNS bigint
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        IF crossed THEN
          RAISE EXCEPTION 'the usage batch crosses a threshold: run it in a transaction' USING ERRCODE = 'TL001';
        END IF;
        RETURN 0;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION usage_ingest_no_crossing(boolean)');
  }
}
