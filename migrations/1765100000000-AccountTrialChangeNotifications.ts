import type { MigrationInterface, QueryRunner } from 'typeorm';

const OPERATIONS = [
  { op: 'INSERT', suffix: 'ins', referencing: 'NEW TABLE AS changed_rows' },
  { op: 'UPDATE', suffix: 'upd', referencing: 'NEW TABLE AS changed_rows' },
  { op: 'DELETE', suffix: 'del', referencing: 'OLD TABLE AS changed_rows' },
];

/**
 * A reverse trial grants its plan (usage-account.repository.ts reads account_trials): starting,
 * converting or ending one changes what the account may use, so it is announced on the account
 * change feed like the tables of AccountChangeNotifications, for the entitlement cache and the
 * entitlement stream. Reuses that migration's notify_account_changes().
 */
export class AccountTrialChangeNotifications1765100000000 implements MigrationInterface {
  name = 'AccountTrialChangeNotifications1765100000000';

  async up(q: QueryRunner): Promise<void> {
    for (const { op, suffix, referencing } of OPERATIONS)
      await q.query(
        `CREATE TRIGGER account_trials_changed_${suffix} AFTER ${op} ON account_trials
         REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION notify_account_changes('account_id')`,
      );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const { suffix } of OPERATIONS)
      await q.query(`DROP TRIGGER account_trials_changed_${suffix} ON account_trials`);
  }
}
