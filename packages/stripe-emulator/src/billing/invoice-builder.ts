import { recordBalanceTransaction } from '../routes/customer-balance-transactions';
import { hostedInvoiceUrls } from '../http/invoice-page';
import type { EmulatorContext } from '../emulator-context';
import { emitEvent } from '../emulator-context';
import { newId } from '../ids';
import type { Customer, Invoice, Resource, Subscription } from '../resource-types';
import { applyBalance, type DiscountAmount, invoiceTotals } from '../money/invoice-totals';
import { type ChargeDraft, lineFromDraft } from './charge-draft';
import { applicableDiscounts, redeemOnceDiscounts } from './discounts';

export interface InvoiceInput {
  customer: Customer;
  currency: string;
  drafts: ChargeDraft[];
  billingReason: 'subscription_create' | 'subscription_cycle' | 'subscription_update' | 'manual' | 'upcoming';
  subscription: Subscription | null;
  at: number;
  period?: { start: number; end: number };
  prorationDate?: number;
  description?: string | null;
  metadata?: Record<string, string>;
  /** Invoice-level discounts besides the subscription's (a preview's `discounts`). */
  discounts?: string[];
}

function sumByDiscount(amounts: DiscountAmount[]): DiscountAmount[] {
  const totals = new Map<string, number>();
  for (const entry of amounts) totals.set(entry.discount, (totals.get(entry.discount) ?? 0) + entry.amount);
  return [...totals].map(([discount, amount]) => ({ amount, discount }));
}

/** Builds an invoice object in Stripe's shape from drafts; stores nothing. */
export function buildInvoice(context: EmulatorContext, input: InvoiceInput, options: { preview: boolean }): Invoice {
  const id = options.preview ? newId('upcoming_in') : newId('in');
  const discounts = applicableDiscounts(
    context,
    [...(input.subscription?.discounts ?? []), ...(input.discounts ?? [])],
    input.at,
  );
  const lineInputs = input.drafts.map((draft) => ({
    amount: draft.amount,
    discounts: applicableDiscounts(context, draft.discounts, input.at),
    product: draft.productId,
    ...(draft.discountAmounts ? { fixed: draft.discountAmounts } : {}),
  }));
  const totals = invoiceTotals(lineInputs, discounts, input.customer.balance);
  const lines = input.drafts.map((draft, index) =>
    lineFromDraft(draft, options.preview ? null : id, totals.lineDiscounts[index] ?? []),
  );
  const subscription = input.subscription;
  return {
    id,
    object: 'invoice',
    account_country: 'US',
    account_name: 'Tierlift Emulator',
    amount_due: totals.amountDue,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: totals.amountDue,
    amount_shipping: 0,
    attempt_count: 0,
    attempted: false,
    auto_advance: !options.preview,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: input.billingReason,
    collection_method: 'charge_automatically',
    created: input.at,
    currency: input.currency,
    customer: input.customer.id,
    customer_email: input.customer.email,
    customer_name: input.customer.name,
    default_payment_method: null,
    description: input.description ?? null,
    discounts: discounts.map((discount) => discount.id),
    due_date: null,
    effective_at: null,
    ending_balance: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    last_finalization_error: null,
    lines: { object: 'list', data: lines, has_more: false, total_count: lines.length, url: `/v1/invoices/${id}/lines` },
    livemode: false,
    metadata: input.metadata ?? {},
    next_payment_attempt: null,
    number: null,
    parent: subscription
      ? {
          type: 'subscription_details',
          quote_details: null,
          subscription_details: {
            subscription: subscription.id,
            metadata: subscription.metadata,
            ...(input.prorationDate !== undefined ? { subscription_proration_date: input.prorationDate } : {}),
          },
        }
      : null,
    period_end: input.period?.end ?? input.at,
    period_start: input.period?.start ?? input.at,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    starting_balance: totals.startingBalance,
    status: 'draft',
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal: totals.subtotal,
    subtotal_excluding_tax: totals.subtotal,
    test_clock: input.customer.test_clock,
    total: totals.total,
    total_discount_amounts: sumByDiscount([...totals.lineDiscounts.flat(), ...totals.invoiceDiscounts]),
    total_excluding_tax: totals.total,
    total_taxes: [],
    webhooks_delivered_at: null,
  };
}

/** Stores a built invoice, sweeps its invoice items onto it and announces it. */
export function insertInvoice(context: EmulatorContext, invoice: Invoice): Invoice {
  context.store.insert(invoice);
  for (const line of invoice.lines.data) {
    const itemId =
      line.parent.subscription_item_details?.invoice_item ?? line.parent.invoice_item_details?.invoice_item;
    const invoiceItem = itemId ? context.store.find<Resource>('invoiceitem', itemId) : undefined;
    if (invoiceItem) invoiceItem.invoice = invoice.id;
  }
  redeemOnceDiscounts(
    context,
    [...invoice.lines.data.flatMap((line) => line.discounts as string[]), ...(invoice.discounts as string[])],
    invoice.id,
  );
  emitEvent(context, 'invoice.created', invoice, { at: invoice.created });
  return invoice;
}

/** draft → open: numbers the invoice and moves customer balance (credit is used, or a negative total becomes credit). */
export function finalizeInvoice(context: EmulatorContext, invoice: Invoice, at: number): void {
  if (invoice.status !== 'draft') return;
  const customer = context.store.require<Customer>('customer', invoice.customer);
  const settled = applyBalance(invoice.total, customer.balance);
  // NOTE: Stripe numbers invoices per customer: its invoice_prefix and next_invoice_sequence.
  const sequence = Number(customer.next_invoice_sequence ?? 1);
  customer.next_invoice_sequence = sequence + 1;
  Object.assign(invoice, {
    status: 'open',
    number: `${String(customer.invoice_prefix)}-${String(sequence).padStart(4, '0')}`,
    starting_balance: settled.startingBalance,
    ending_balance: settled.endingBalance,
    amount_due: settled.amountDue,
    amount_remaining: settled.amountDue,
    effective_at: at,
    status_transitions: { ...invoice.status_transitions, finalized_at: at },
    // NOTE: docs.stripe.com/api/invoices/object: both links are null until the invoice is finalized.
    ...hostedInvoiceUrls(context.baseUrl, invoice.id),
  });
  if (customer.balance !== settled.endingBalance) {
    const previous = { balance: customer.balance };
    customer.balance = settled.endingBalance;
    // NOTE: docs.stripe.com/billing/customer/balance: the invoice's use of the balance is a transaction too.
    recordBalanceTransaction(context, customer, {
      amount: settled.endingBalance - settled.startingBalance,
      currency: invoice.currency,
      type: 'applied_to_invoice',
      invoice: invoice.id,
      at,
    });
    emitEvent(context, 'customer.updated', customer, { previous, at });
  }
  emitEvent(context, 'invoice.finalized', invoice, { at });
}
