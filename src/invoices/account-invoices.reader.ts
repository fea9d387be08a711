import type { DataSource } from 'typeorm';

export interface AccountInvoice {
  id: string;
  number: string | null;
  status: string;
  currency: string;
  total: number;
  amountDue: number;
  amountPaid: number;
  createdAt: Date;
  periodStart: Date | null;
  periodEnd: Date | null;
  paidAt: Date | null;
  hostedInvoiceUrl: string | null;
  invoicePdf: string | null;
}

/**
 * The account's invoices from the invoice mirror (what Stripe's webhooks and reconciliation
 * keep): no Stripe call on a page view, so nothing here needs the operation journal. Drafts are
 * left out (Stripe may still change them, and they have no page yet). Newest first.
 */
export function accountInvoicesReader(dataSource: DataSource) {
  return async (accountId: string, limit: number): Promise<{ invoices: AccountInvoice[]; hasMore: boolean }> => {
    const rows: Array<Record<string, unknown>> = await dataSource.query(
      `SELECT id, number, status, currency, total, amount_due, amount_paid, stripe_created_at, period_start,
              period_end, paid_at, hosted_invoice_url, invoice_pdf
         FROM invoices
        WHERE account_id = $1 AND status <> 'draft'
        ORDER BY stripe_created_at DESC, id
        LIMIT $2`,
      [accountId, limit + 1],
    );
    const date = (value: unknown) => (value ? new Date(value as string) : null);
    const invoices = rows.slice(0, limit).map((row) => ({
      id: String(row.id),
      number: (row.number as string | null) ?? null,
      status: String(row.status),
      currency: String(row.currency),
      total: Number(row.total),
      amountDue: Number(row.amount_due),
      amountPaid: Number(row.amount_paid),
      createdAt: new Date(row.stripe_created_at as string),
      periodStart: date(row.period_start),
      periodEnd: date(row.period_end),
      paidAt: date(row.paid_at),
      hostedInvoiceUrl: (row.hosted_invoice_url as string | null) ?? null,
      invoicePdf: (row.invoice_pdf as string | null) ?? null,
    }));
    return { invoices, hasMore: rows.length > limit };
  };
}

export type ReadAccountInvoices = ReturnType<typeof accountInvoicesReader>;

export function invoiceView(invoice: AccountInvoice): Record<string, unknown> {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: invoice.id,
    object: 'invoice',
    number: invoice.number,
    status: invoice.status,
    currency: invoice.currency,
    total: invoice.total,
    amount_due: invoice.amountDue,
    amount_paid: invoice.amountPaid,
    created_at: invoice.createdAt.toISOString(),
    period_start: iso(invoice.periodStart),
    period_end: iso(invoice.periodEnd),
    paid_at: iso(invoice.paidAt),
    hosted_invoice_url: invoice.hostedInvoiceUrl,
    invoice_pdf: invoice.invoicePdf,
  };
}
