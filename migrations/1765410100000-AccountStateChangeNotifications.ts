import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The rows an account's usage context is read from (src/usage/usage-account.repository.ts), and the column naming the account. */
const CONTEXT_TABLES: ReadonlyArray<{ table: string; column: 'id' | 'account_id' }> = [
  { table: 'accounts', column: 'id' },
  { table: 'subscriptions', column: 'account_id' },
  { table: 'account_trials', column: 'account_id' },
];

const OPERATIONS = [
  { op: 'INSERT', suffix: 'ins', referencing: 'NEW TABLE AS new_rows' },
  { op: 'UPDATE', suffix: 'upd', referencing: 'OLD TABLE AS old_rows NEW TABLE AS new_rows' },
  { op: 'DELETE', suffix: 'del', referencing: 'OLD TABLE AS old_rows' },
];

/** The statement, per column and operation: the ids of the rows before and after, in payloads of 100. */
const idsQuery = (column: string, tables: string[]) => `
  SELECT string_agg(id, ',') FROM (
    SELECT id, (row_number() OVER () - 1) / 100 AS chunk
      FROM (${tables.map((t) => `SELECT ${t}.${column}::text AS id FROM ${t}`).join(' UNION ')}) d) c
  GROUP BY chunk`;

/**
 * Changes to what an account's usage context is read from (the account, its subscriptions, its
 * trials) are announced on a channel of their own, "tl-state:<schema>", beside the general
 * "tierlift:<schema>". The ingestion path keeps contexts in memory (src/usage/usage-context-cache.ts):
 * on the general channel every usage batch announces its own accounts (counters and gauges change),
 * which would drop each context as soon as it was read. An update announces the ids before and
 * after it, so that re-keying an account or moving a subscription drops both.
 * NOTE: a channel of its own rather than a marked payload on the general one: an instance still
 * running the previous release would read a marked payload as unknown account ids and miss them.
 * Its prefix is as long as "tierlift:": pg_notify refuses a channel name over 63 bytes, so any
 * schema the general channel serves, this one serves too.
 */
export class AccountStateChangeNotifications1765410100000 implements MigrationInterface {
  name = 'AccountStateChangeNotifications1765410100000';

  async up(q: QueryRunner): Promise<void> {
    const branch = (column: string, condition: string) => `
      ${condition} TG_ARGV[0] = '${column}' AND TG_OP = 'INSERT' THEN
        FOR ids IN ${idsQuery(column, ['new_rows'])} LOOP PERFORM pg_notify(channel, ids); END LOOP;
      ELSIF TG_ARGV[0] = '${column}' AND TG_OP = 'UPDATE' THEN
        FOR ids IN ${idsQuery(column, ['old_rows', 'new_rows'])} LOOP PERFORM pg_notify(channel, ids); END LOOP;
      ELSIF TG_ARGV[0] = '${column}' AND TG_OP = 'DELETE' THEN
        FOR ids IN ${idsQuery(column, ['old_rows'])} LOOP PERFORM pg_notify(channel, ids); END LOOP;`;
    // NOTE: static queries (PL/pgSQL keeps their plans); a branch is parsed on its first run only.
    await q.query(`
      CREATE FUNCTION notify_account_state_changes() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        ids text;
        channel text := 'tl-state:' || TG_TABLE_SCHEMA;
      BEGIN
        ${branch('account_id', 'IF')}
        ${branch('id', 'ELSIF')}
        ELSE
          RAISE EXCEPTION 'notify_account_state_changes: no query for % on column %', TG_OP, TG_ARGV[0];
        END IF;
        RETURN NULL;
      END
      $fn$`);
    for (const { table, column } of CONTEXT_TABLES)
      for (const { op, suffix, referencing } of OPERATIONS)
        await q.query(
          `CREATE TRIGGER ${table}_state_changed_${suffix} AFTER ${op} ON ${table}
           REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION notify_account_state_changes('${column}')`,
        );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const { table } of CONTEXT_TABLES)
      for (const { suffix } of OPERATIONS) await q.query(`DROP TRIGGER ${table}_state_changed_${suffix} ON ${table}`);
    await q.query('DROP FUNCTION notify_account_state_changes()');
  }
}
