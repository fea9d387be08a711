import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Whether a refund claim takes back what was bought (an operator may refund without it), kept so a resumed claim knows. */
export class RefundClaimsReverse1763900700001 implements MigrationInterface {
  name = 'RefundClaimsReverse1763900700001';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE refund_claims ADD COLUMN reverse boolean NOT NULL DEFAULT true');
    await q.query(`CREATE INDEX refund_claims_unfinished_idx ON refund_claims (updated_at)
      WHERE state IN ('claimed', 'refunded')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX refund_claims_unfinished_idx');
    await q.query('ALTER TABLE refund_claims DROP COLUMN reverse');
  }
}
