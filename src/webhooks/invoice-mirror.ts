import type { EntityManager } from 'typeorm';
import type { Stripe } from '../stripe/stripe-client';
import { linkChargesToInvoice, lockPaymentIntents } from './payment-intent-links';
import { idOf } from './stripe-ids';

/** One line of an invoice as the mirror keeps it: enough to explain the amount. */
export interface InvoiceLineSummary {
  id: string;
  amount: number;
  description: string | null;
  price_id: string | null;
  proration: boolean;
  quantity: number | null;
  period: { start: number; end: number };
}

export interface InvoiceMirror {
  id: string;
  accountId: string;
  customerId: string;
  subscriptionId: string | null;
  status: string;
  currency: string;
  amountDue: number;
  amountPaid: number;
  amountRemaining: number;
  total: number;
  billingReason: string | null;
  periodStart: number | null;
  periodEnd: number | null;
  paidAt: number | null;
  lines: InvoiceLineSummary[];
  /** The PaymentIntents of its payments (`payments` expanded): the way to its charges. */
  paymentIntentIds: string[];
  stripeCreatedAt: number;
  /** The customer's links (null until finalized): the billing page shows them. */
  number: string | null;
  hostedInvoiceUrl: string | null;
  invoicePdf: string | null;
}

/** Pure: the `invoices` row for Stripe's current invoice. */
export function invoiceMirror(invoice: Stripe.Invoice, accountId: string): InvoiceMirror {
  return {
    id: invoice.id ?? '',
    accountId,
    customerId: idOf(invoice.customer) ?? '',
    subscriptionId: idOf(invoice.parent?.subscription_details?.subscription),
    status: invoice.status ?? 'draft',
    currency: invoice.currency,
    amountDue: invoice.amount_due,
    amountPaid: invoice.amount_paid,
    amountRemaining: invoice.amount_remaining,
    total: invoice.total,
    billingReason: invoice.billing_reason ?? null,
    periodStart: invoice.period_start ?? null,
    periodEnd: invoice.period_end ?? null,
    paidAt: invoice.status_transitions?.paid_at ?? null,
    lines: invoice.lines.data.map(lineSummary),
    paymentIntentIds: (invoice.payments?.data ?? []).flatMap((p) => {
      const id = idOf(p.payment.payment_intent);
      return id ? [id] : [];
    }),
    stripeCreatedAt: invoice.created,
    number: invoice.number ?? null,
    hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
    invoicePdf: invoice.invoice_pdf ?? null,
  };
}

function lineSummary(line: Stripe.InvoiceLineItem): InvoiceLineSummary {
  const parent = line.parent;
  return {
    id: line.id,
    amount: line.amount,
    description: line.description ?? null,
    price_id: idOf(line.pricing?.price_details?.price),
    proration: Boolean(
      parent?.subscription_item_details?.proration ?? parent?.invoice_item_details?.proration ?? false,
    ),
    quantity: line.quantity ?? null,
    period: { start: line.period.start, end: line.period.end },
  };
}

/**
 * Inserts or replaces the mirror row; the values always come from Stripe's current object. The
 * charges of its PaymentIntents already mirrored are linked to it.
 */
export async function upsertInvoice(manager: EntityManager, m: InvoiceMirror): Promise<void> {
  await lockPaymentIntents(manager, m.paymentIntentIds);
  await manager.query(
    `INSERT INTO invoices (id, account_id, customer_id, subscription_id, status, currency, amount_due, amount_paid,
       amount_remaining, total, billing_reason, period_start, period_end, paid_at, lines, stripe_created_at,
       payment_intent_ids, number, hosted_invoice_url, invoice_pdf, synced_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, to_timestamp($12), to_timestamp($13), to_timestamp($14),
       $15::jsonb, to_timestamp($16), $17::text[], $18, $19, $20, now())
     ON CONFLICT (id) DO UPDATE SET
       account_id = EXCLUDED.account_id, customer_id = EXCLUDED.customer_id,
       subscription_id = EXCLUDED.subscription_id, status = EXCLUDED.status, currency = EXCLUDED.currency,
       amount_due = EXCLUDED.amount_due, amount_paid = EXCLUDED.amount_paid,
       amount_remaining = EXCLUDED.amount_remaining, total = EXCLUDED.total,
       billing_reason = EXCLUDED.billing_reason, period_start = EXCLUDED.period_start,
       period_end = EXCLUDED.period_end, paid_at = EXCLUDED.paid_at, lines = EXCLUDED.lines,
       stripe_created_at = EXCLUDED.stripe_created_at, payment_intent_ids = EXCLUDED.payment_intent_ids,
       number = EXCLUDED.number, hosted_invoice_url = EXCLUDED.hosted_invoice_url, invoice_pdf = EXCLUDED.invoice_pdf,
       synced_at = now(), updated_at = now()`,
    [
      m.id,
      m.accountId,
      m.customerId,
      m.subscriptionId,
      m.status,
      m.currency,
      m.amountDue,
      m.amountPaid,
      m.amountRemaining,
      m.total,
      m.billingReason,
      m.periodStart,
      m.periodEnd,
      m.paidAt,
      JSON.stringify(m.lines),
      m.stripeCreatedAt,
      m.paymentIntentIds,
      m.number,
      m.hostedInvoiceUrl,
      m.invoicePdf,
    ],
  );
  await linkChargesToInvoice(manager, m.id, m.paymentIntentIds);
}
