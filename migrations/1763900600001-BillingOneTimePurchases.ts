import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One-time add-ons (training, set-up): a quote kind, an operation kind and a purchase kind of their own. */
export class BillingOneTimePurchases1763900600001 implements MigrationInterface {
  name = 'BillingOneTimePurchases1763900600001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE quotes DROP CONSTRAINT quotes_kind_check`);
    await q.query(`ALTER TABLE quotes ADD CONSTRAINT quotes_kind_check
      CHECK (kind IN ('update', 'schedule', 'checkout', 'cancel', 'one_time'))`);
    await q.query(`ALTER TABLE billing_operations DROP CONSTRAINT billing_operations_kind_check`);
    await q.query(`ALTER TABLE billing_operations ADD CONSTRAINT billing_operations_kind_check
      CHECK (kind IN ('update', 'schedule', 'checkout', 'cancel', 'resume', 'cancel_schedule', 'one_time'))`);
    await q.query(`ALTER TABLE purchases DROP CONSTRAINT purchases_kind_check`);
    await q.query(`ALTER TABLE purchases ADD CONSTRAINT purchases_kind_check
      CHECK (kind IN ('plan_change', 'add_on', 'subscription_start', 'one_time'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM purchases WHERE kind = 'one_time'`);
    await q.query(`ALTER TABLE purchases DROP CONSTRAINT purchases_kind_check`);
    await q.query(`ALTER TABLE purchases ADD CONSTRAINT purchases_kind_check
      CHECK (kind IN ('plan_change', 'add_on', 'subscription_start'))`);
    await q.query(`DELETE FROM billing_operations WHERE kind = 'one_time'`);
    await q.query(`ALTER TABLE billing_operations DROP CONSTRAINT billing_operations_kind_check`);
    await q.query(`ALTER TABLE billing_operations ADD CONSTRAINT billing_operations_kind_check
      CHECK (kind IN ('update', 'schedule', 'checkout', 'cancel', 'resume', 'cancel_schedule'))`);
    await q.query(`DELETE FROM quotes WHERE kind = 'one_time'`);
    await q.query(`ALTER TABLE quotes DROP CONSTRAINT quotes_kind_check`);
    await q.query(`ALTER TABLE quotes ADD CONSTRAINT quotes_kind_check
      CHECK (kind IN ('update', 'schedule', 'checkout', 'cancel'))`);
  }
}
