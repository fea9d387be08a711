import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When the compensation of a failed operation (its unpaid invoice withdrawn, its pending invoice
 * items deleted) was done. The janitor repeats the compensation only where it is still missing,
 * instead of asking Stripe about every recent failure on every run.
 */
export class OneTimeWithdrawals1763901400000 implements MigrationInterface {
  name = 'OneTimeWithdrawals1763901400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE billing_operations ADD COLUMN withdrawn_at timestamptz');
    await q.query(
      `CREATE INDEX billing_operations_to_withdraw_idx ON billing_operations (updated_at)
       WHERE state = 'failed' AND withdrawn_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX billing_operations_to_withdraw_idx');
    await q.query('ALTER TABLE billing_operations DROP COLUMN withdrawn_at');
  }
}
