import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The card update of the billing page (#22): an operation kind of its own, `payment_method` — a
 * Checkout Session in setup mode waiting on the customer, whose completion sets the new card as the
 * customer's and the subscription's default payment method.
 */
export class PaymentMethodOperations1763902450000 implements MigrationInterface {
  name = 'PaymentMethodOperations1763902450000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE billing_operations DROP CONSTRAINT billing_operations_kind_check`);
    await q.query(`ALTER TABLE billing_operations ADD CONSTRAINT billing_operations_kind_check
      CHECK (kind IN ('update', 'schedule', 'checkout', 'cancel', 'resume', 'cancel_schedule', 'one_time',
        'payment_method'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM billing_lanes WHERE holder_kind = 'operation'
      AND holder_id IN (SELECT id FROM billing_operations WHERE kind = 'payment_method')`);
    await q.query(`DELETE FROM billing_operations WHERE kind = 'payment_method'`);
    await q.query(`ALTER TABLE billing_operations DROP CONSTRAINT billing_operations_kind_check`);
    await q.query(`ALTER TABLE billing_operations ADD CONSTRAINT billing_operations_kind_check
      CHECK (kind IN ('update', 'schedule', 'checkout', 'cancel', 'resume', 'cancel_schedule', 'one_time'))`);
  }
}
