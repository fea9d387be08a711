import type { DataSource } from 'typeorm';
import type { ChargeMirror } from '../../../src/webhooks/charge-mirror';
import type { InvoiceMirror } from '../../../src/webhooks/invoice-mirror';

/** The invoice fields a test compares between Stripe and the local mirror. */
export interface InvoiceState {
  id: string;
  status: string;
  subscription_id: string | null;
  amount_due: number;
  amount_paid: number;
  total: number;
  paid_at: number | null;
  lines: number;
}

export interface ChargeState {
  id: string;
  status: string;
  amount: number;
  amount_refunded: number;
  refunded: boolean;
  disputed: boolean;
}

export const invoiceState = (m: InvoiceMirror): InvoiceState => ({
  id: m.id,
  status: m.status,
  subscription_id: m.subscriptionId,
  amount_due: m.amountDue,
  amount_paid: m.amountPaid,
  total: m.total,
  paid_at: m.paidAt,
  lines: m.lines.length,
});

export const chargeState = (m: ChargeMirror): ChargeState => ({
  id: m.id,
  status: m.status,
  amount: m.amount,
  amount_refunded: m.amountRefunded,
  refunded: m.refunded,
  disputed: m.disputed,
});

export async function localInvoices(dataSource: DataSource): Promise<InvoiceState[]> {
  const rows: Array<Record<string, unknown>> = await dataSource.query(
    `SELECT id, status, subscription_id, amount_due, amount_paid, total,
            extract(epoch FROM paid_at)::bigint AS paid_at, jsonb_array_length(lines) AS lines
     FROM invoices ORDER BY id`,
  );
  return rows.map((r) => ({
    id: String(r.id),
    status: String(r.status),
    subscription_id: (r.subscription_id as string | null) ?? null,
    amount_due: Number(r.amount_due),
    amount_paid: Number(r.amount_paid),
    total: Number(r.total),
    paid_at: r.paid_at === null ? null : Number(r.paid_at),
    lines: Number(r.lines),
  }));
}

export async function localCharges(dataSource: DataSource): Promise<ChargeState[]> {
  const rows: Array<Record<string, unknown>> = await dataSource.query(
    'SELECT id, status, amount, amount_refunded, refunded, disputed FROM charges ORDER BY id',
  );
  return rows.map((r) => ({
    id: String(r.id),
    status: String(r.status),
    amount: Number(r.amount),
    amount_refunded: Number(r.amount_refunded),
    refunded: Boolean(r.refunded),
    disputed: Boolean(r.disputed),
  }));
}
