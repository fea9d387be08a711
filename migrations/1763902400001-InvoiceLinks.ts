import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the customer's billing page links for each invoice: its number, Stripe's hosted invoice page
 * and its PDF (both null until Stripe finalizes the invoice). Filled by the invoice mirror.
 */
export class InvoiceLinks1763902400001 implements MigrationInterface {
  name = 'InvoiceLinks1763902400001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE invoices ADD COLUMN number text, ADD COLUMN hosted_invoice_url text, ADD COLUMN invoice_pdf text',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE invoices DROP COLUMN invoice_pdf, DROP COLUMN hosted_invoice_url, DROP COLUMN number');
  }
}
