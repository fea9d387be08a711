import type { Stripe } from '../stripe/stripe-client';
import { translateStripeError } from '../stripe/stripe-errors';
import { chargeBalance } from './charge-balance';
import type { GuaranteeDeps } from './guarantee-deps';
import type { ClaimablePurchase } from './guarantee-purchases.repository';
import { purchaseLedger, type Ledger, type LedgerLine } from './purchase-ledger';

/** A purchase's invoice and what Stripe did on its subscription since, as the ledger and the reversal read them. */
export interface PurchaseInvoices {
  invoice: Stripe.Invoice | null;
  /** Finalized invoices of the subscription after the purchase's own, oldest first. */
  later: Stripe.Invoice[];
  /** Pending (not yet invoiced) credit items of the subscription created since the purchase. */
  pendingCredits: LedgerLine[];
}

/** Stripe's invoice objects for one purchase: its invoice, the subscription's later invoices and pending items. */
export async function readPurchaseInvoices(
  deps: GuaranteeDeps,
  purchase: Pick<ClaimablePurchase, 'stripeInvoiceId' | 'stripeSubscriptionId'>,
): Promise<PurchaseInvoices> {
  try {
    if (!purchase.stripeInvoiceId) return { invoice: null, later: [], pendingCredits: [] };
    const invoice = await deps.stripe.invoices.retrieve(purchase.stripeInvoiceId);
    const subscription = purchase.stripeSubscriptionId;
    if (!subscription) return { invoice, later: [], pendingCredits: [] };
    const invoices = await deps.stripe.invoices.list({ subscription, limit: 100 });
    const later = invoices.data
      .filter((other) => other.id !== invoice.id && isAfter(other, invoice))
      .filter((other) => other.status === 'paid' || other.status === 'open')
      .sort((a, b) => a.created - b.created || (a.number ?? '').localeCompare(b.number ?? ''));
    const customer = typeof invoice.customer === 'string' ? invoice.customer : (invoice.customer?.id ?? '');
    const pending = await deps.stripe.invoiceItems.list({ customer, pending: true, limit: 100 });
    const pendingCredits = pending.data
      .filter((item) => item.amount < 0 && item.date >= invoice.created && subscriptionOfItem(item) === subscription)
      .map((item) => ({ price: priceOf(item.pricing), amount: item.amount, period: item.period }));
    return { invoice, later, pendingCredits };
  } catch (error) {
    throw translateStripeError(error);
  }
}

/** What Stripe still holds for the purchase (see `purchaseLedger`), read from its invoices and its charge. */
export async function readLedger(deps: GuaranteeDeps, purchase: ClaimablePurchase): Promise<Ledger> {
  const [invoices, charge] = await Promise.all([readPurchaseInvoices(deps, purchase), chargeBalance(deps, purchase)]);
  return ledgerOf(invoices, charge);
}

/** Pure: the ledger from Stripe's objects. Without an invoice the whole charge counts as the purchase's line. */
export function ledgerOf(invoices: PurchaseInvoices, charge: { captured: number; refunded: number }): Ledger {
  const lines = invoices.invoice
    ? ledgerLines(invoices.invoice)
    : [{ price: null, amount: charge.captured, period: { start: 0, end: 0 } }];
  const laterCredits = [...invoices.later.flatMap(ledgerLines), ...invoices.pendingCredits].filter(
    (line) => line.amount < 0,
  );
  return purchaseLedger({ lines, captured: charge.captured, refunded: charge.refunded, laterCredits });
}

/**
 * An invoice's lines with their own discounts taken off. NOTE: an invoice embeds its first lines
 * only (`lines.has_more`); the purchases Tierlift makes carry a handful, well under that page.
 */
export function ledgerLines(invoice: Stripe.Invoice): LedgerLine[] {
  return invoice.lines.data.map((line) => ({
    price: priceOf(line.pricing),
    amount: line.amount - (line.discount_amounts ?? []).reduce((sum, entry) => sum + entry.amount, 0),
    period: { start: line.period.start, end: line.period.end },
  }));
}

/** Later = created after it; in the same second (a frozen test clock), numbered after it (Stripe numbers per customer). */
function isAfter(other: Stripe.Invoice, invoice: Stripe.Invoice): boolean {
  if (other.created !== invoice.created) return other.created > invoice.created;
  return (other.number ?? '').localeCompare(invoice.number ?? '') > 0;
}

function priceOf(pricing: { price_details?: { price: string | Stripe.Price } | null } | null | undefined) {
  const price = pricing?.price_details?.price;
  return typeof price === 'string' ? price : (price?.id ?? null);
}

function subscriptionOfItem(item: Stripe.InvoiceItem): string | null {
  return item.parent?.subscription_details?.subscription ?? null;
}

/** The purchase as eligibility should measure it: over the period it paid for, with Stripe's refunds. */
export function asBought(purchase: ClaimablePurchase, ledger: Ledger): ClaimablePurchase {
  const end = ledger.boughtPeriod?.end;
  return {
    ...purchase,
    periodEnd: purchase.periodEnd && end !== undefined ? new Date(end * 1000) : purchase.periodEnd,
    alreadyRefunded: ledger.refunded,
  };
}
