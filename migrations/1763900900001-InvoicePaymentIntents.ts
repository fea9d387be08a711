import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The PaymentIntents that paid each mirrored invoice. Since API 2025-03-31 a charge no longer names
 * its invoice; the link is invoice → payments → PaymentIntent ← charge. Keeping the invoice's side
 * lets `charges.invoice_id` be filled whichever of the two is mirrored first.
 */
export class InvoicePaymentIntents1763900900001 implements MigrationInterface {
  name = 'InvoicePaymentIntents1763900900001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE invoices ADD COLUMN payment_intent_ids text[] NOT NULL DEFAULT '{}'`);
    await q.query('CREATE INDEX invoices_payment_intents_idx ON invoices USING gin (payment_intent_ids)');
    await q.query('CREATE INDEX charges_invoice_idx ON charges (invoice_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX charges_invoice_idx');
    await q.query('DROP INDEX invoices_payment_intents_idx');
    await q.query('ALTER TABLE invoices DROP COLUMN payment_intent_ids');
  }
}
