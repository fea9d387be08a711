import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables an offer decision reads about one account, and the column naming that account. */
const ACCOUNT_STATE_TABLES: ReadonlyArray<{ table: string; column: string }> = [
  { table: 'accounts', column: 'id' },
  { table: 'subscriptions', column: 'account_id' },
  { table: 'purchases', column: 'account_id' },
  { table: 'offer_events', column: 'account_id' },
  { table: 'usage_counters', column: 'account_id' },
  { table: 'usage_gauges', column: 'account_id' },
  { table: 'usage_threshold_crossings', column: 'account_id' },
];

const OPERATIONS = [
  { op: 'INSERT', suffix: 'ins', referencing: 'NEW TABLE AS changed_rows' },
  { op: 'UPDATE', suffix: 'upd', referencing: 'NEW TABLE AS changed_rows' },
  { op: 'DELETE', suffix: 'del', referencing: 'OLD TABLE AS changed_rows' },
];

/**
 * Every committed change to an account's state is announced on the channel "tierlift:<schema>",
 * with the changed account ids as payload, so that each instance can drop what it keeps in memory
 * about those accounts (the prompt decision cache). Statement-level triggers: a batch of 500 usage
 * events costs one call, not 500. NOTIFY is transactional: nothing is announced for a rollback, and
 * the announcement is delivered at commit (to the writing connection itself before its COMMIT
 * returns, when it listens too).
 */
export class AccountChangeNotifications1763901000000 implements MigrationInterface {
  name = 'AccountChangeNotifications1763901000000';

  async up(q: QueryRunner): Promise<void> {
    // NOTE: payloads are limited to 8,000 bytes: ids (at most 64 characters) go out 100 to a notification.
    await q.query(`
      CREATE FUNCTION notify_account_changes() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        ids text;
      BEGIN
        FOR ids IN EXECUTE format(
          'SELECT string_agg(id, '','') FROM (
             SELECT id, (row_number() OVER () - 1) / 100 AS chunk
               FROM (SELECT DISTINCT %I::text AS id FROM changed_rows) d) c
           GROUP BY chunk', TG_ARGV[0])
        LOOP
          PERFORM pg_notify('tierlift:' || TG_TABLE_SCHEMA, ids);
        END LOOP;
        RETURN NULL;
      END
      $fn$`);
    for (const { table, column } of ACCOUNT_STATE_TABLES)
      for (const { op, suffix, referencing } of OPERATIONS)
        await q.query(
          `CREATE TRIGGER ${table}_changed_${suffix} AFTER ${op} ON ${table}
           REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION notify_account_changes('${column}')`,
        );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const { table } of ACCOUNT_STATE_TABLES)
      for (const { suffix } of OPERATIONS) await q.query(`DROP TRIGGER ${table}_changed_${suffix} ON ${table}`);
    await q.query('DROP FUNCTION notify_account_changes()');
  }
}
