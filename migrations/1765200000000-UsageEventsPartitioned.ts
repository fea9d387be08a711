import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * usage_events partitioned by calendar month (UTC) of occurred_at, so that old months can be
 * dropped whole (docs/usage-partitions.md). The table keeps its rows: the old one is renamed,
 * the partitioned one created with a partition for every month that holds data (and the
 * current month, the one before and three ahead), the rows copied over, the old table dropped.
 * NOTE: a unique key of a partitioned table must contain the partition key, so (account_id,
 * event_id) is unique per partition — per account per month. A retry carries the event's own
 * time, lands in the same month and is still refused; see the doc for the rule.
 * NOTE: a default partition takes any instant no month partition covers, so no insert fails
 * for want of a partition; usage_events_create_partition moves its rows of a month into the
 * month's partition when that is created.
 */
export class UsageEventsPartitioned1765200000000 implements MigrationInterface {
  name = 'UsageEventsPartitioned1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE usage_events RENAME TO usage_events_unpartitioned');
    await q.query(
      'ALTER TABLE usage_events_unpartitioned RENAME CONSTRAINT usage_events_pkey TO usage_events_unpartitioned_pkey',
    );
    await q.query(`
      CREATE TABLE usage_events (
        account_id   text NOT NULL,
        event_id     text NOT NULL CHECK (length(event_id) BETWEEN 1 AND 128),
        feature      text NOT NULL,
        action       text NOT NULL CHECK (action IN ('increment', 'set')),
        quantity     bigint NOT NULL CHECK (quantity >= 0),
        occurred_at  timestamptz NOT NULL,
        period_start timestamptz NOT NULL,
        received_at  timestamptz NOT NULL DEFAULT now()
      ) PARTITION BY RANGE (occurred_at)`);
    await q.query('CREATE TABLE usage_events_default PARTITION OF usage_events DEFAULT');
    await q.query('CREATE UNIQUE INDEX usage_events_default_key ON usage_events_default (account_id, event_id)');
    await q.query(`
      CREATE FUNCTION usage_events_create_partition(at timestamptz) RETURNS boolean
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      DECLARE
        lo timestamp := date_trunc('month', at AT TIME ZONE 'UTC');
        hi timestamp := lo + interval '1 month';
        part text := 'usage_events_' || to_char(lo, 'YYYY_MM');
      BEGIN
        IF to_regclass(part) IS NOT NULL THEN RETURN false; END IF;
        EXECUTE format('CREATE TABLE %I (LIKE usage_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
        EXECUTE format(
          'WITH moved AS (DELETE FROM usage_events_default WHERE occurred_at >= %L AND occurred_at < %L RETURNING *)
           INSERT INTO %I SELECT * FROM moved', lo AT TIME ZONE 'UTC', hi AT TIME ZONE 'UTC', part);
        EXECUTE format('CREATE UNIQUE INDEX %I ON %I (account_id, event_id)', part || '_key', part);
        EXECUTE format('ALTER TABLE usage_events ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                       part, lo AT TIME ZONE 'UTC', hi AT TIME ZONE 'UTC');
        RETURN true;
      END $$`);
    await q.query(`
      CREATE FUNCTION usage_events_drop_partitions_before(cutoff timestamptz) RETURNS SETOF text
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      DECLARE
        part record;
      BEGIN
        FOR part IN
          SELECT c.relname,
                 (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1]::timestamptz AS upper_bound
          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = 'usage_events'::regclass AND pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT'
          ORDER BY 2
        LOOP
          CONTINUE WHEN part.upper_bound > cutoff;
          EXECUTE format('ALTER TABLE usage_events DETACH PARTITION %I', part.relname);
          EXECUTE format('DROP TABLE %I', part.relname);
          RETURN NEXT part.relname;
        END LOOP;
      END $$`);
    await q.query(`
      SELECT usage_events_create_partition(m) FROM (
        SELECT DISTINCT date_trunc('month', occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS m FROM usage_events_unpartitioned
        UNION
        SELECT now() + k * interval '1 month' FROM generate_series(-1, 3) AS k
      ) months ORDER BY m`);
    await q.query(`
      INSERT INTO usage_events (account_id, event_id, feature, action, quantity, occurred_at, period_start, received_at)
      SELECT account_id, event_id, feature, action, quantity, occurred_at, period_start, received_at
      FROM usage_events_unpartitioned`);
    await q.query('DROP TABLE usage_events_unpartitioned');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE usage_events RENAME TO usage_events_partitioned');
    await q.query(`
      CREATE TABLE usage_events (
        account_id   text NOT NULL,
        event_id     text NOT NULL CHECK (length(event_id) BETWEEN 1 AND 128),
        feature      text NOT NULL,
        action       text NOT NULL CHECK (action IN ('increment', 'set')),
        quantity     bigint NOT NULL CHECK (quantity >= 0),
        occurred_at  timestamptz NOT NULL,
        period_start timestamptz NOT NULL,
        received_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, event_id)
      )`);
    // NOTE: an id reused by an account in two months keeps its earliest row: the old key is global.
    await q.query(`
      INSERT INTO usage_events (account_id, event_id, feature, action, quantity, occurred_at, period_start, received_at)
      SELECT account_id, event_id, feature, action, quantity, occurred_at, period_start, received_at
      FROM usage_events_partitioned ORDER BY occurred_at
      ON CONFLICT (account_id, event_id) DO NOTHING`);
    await q.query('DROP TABLE usage_events_partitioned');
    await q.query('DROP FUNCTION usage_events_drop_partitions_before(timestamptz)');
    await q.query('DROP FUNCTION usage_events_create_partition(timestamptz)');
  }
}
