import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Operator actions from the console (issue #23) run through the billing operation journal:
 * `credit` (a customer balance credit), `send_invoice` (a receipt sent again) and `extend_trial`.
 */
export class OperatorBillingActions1763902650000 implements MigrationInterface {
  name = 'OperatorBillingActions1763902650000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE billing_operations DROP CONSTRAINT billing_operations_kind_check`);
    await q.query(`ALTER TABLE billing_operations ADD CONSTRAINT billing_operations_kind_check
      CHECK (kind IN ('update', 'schedule', 'checkout', 'cancel', 'resume', 'cancel_schedule', 'one_time',
                      'payment_method', 'credit', 'send_invoice', 'extend_trial'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM billing_lanes WHERE holder_kind = 'operation'
      AND holder_id IN (SELECT id FROM billing_operations WHERE kind IN ('credit', 'send_invoice', 'extend_trial'))`);
    await q.query(`DELETE FROM billing_operations WHERE kind IN ('credit', 'send_invoice', 'extend_trial')`);
    await q.query(`ALTER TABLE billing_operations DROP CONSTRAINT billing_operations_kind_check`);
    await q.query(`ALTER TABLE billing_operations ADD CONSTRAINT billing_operations_kind_check
      CHECK (kind IN ('update', 'schedule', 'checkout', 'cancel', 'resume', 'cancel_schedule', 'one_time',
                      'payment_method'))`);
  }
}
