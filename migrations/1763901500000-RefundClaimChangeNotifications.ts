import type { MigrationInterface, QueryRunner } from 'typeorm';

const OPERATIONS = [
  { op: 'INSERT', suffix: 'ins', referencing: 'NEW TABLE AS changed_rows' },
  { op: 'UPDATE', suffix: 'upd', referencing: 'NEW TABLE AS changed_rows' },
  { op: 'DELETE', suffix: 'del', referencing: 'OLD TABLE AS changed_rows' },
];

/**
 * Offer decisions now read the account's refund claims (a prompt promises no guarantee the rules
 * would refuse): a claim, whatever its state, is announced like any other change to the account,
 * so no instance keeps a decision that still promises a guarantee for a product being refunded.
 * Uses notify_account_changes() from AccountChangeNotifications.
 */
export class RefundClaimChangeNotifications1763901500000 implements MigrationInterface {
  name = 'RefundClaimChangeNotifications1763901500000';

  async up(q: QueryRunner): Promise<void> {
    for (const { op, suffix, referencing } of OPERATIONS)
      await q.query(
        `CREATE TRIGGER refund_claims_changed_${suffix} AFTER ${op} ON refund_claims
         REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION notify_account_changes('account_id')`,
      );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const { suffix } of OPERATIONS) await q.query(`DROP TRIGGER refund_claims_changed_${suffix} ON refund_claims`);
  }
}
