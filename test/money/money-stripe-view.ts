import type { Stripe } from '../../src/stripe/stripe-client';
import type { InvariantName } from './money-invariants';
import type { ModelAccount, World } from './money-world';

/** What the per-account invariants read from Stripe and the database, and where they report. */

/** Stripe statuses under which a subscription still bills or grants: "live". */
export const ENDED = new Set(['canceled', 'incomplete_expired']);
export const GRANTING = new Set(['active', 'trialing', 'past_due']);

export interface StripeView {
  subscriptions: Stripe.Subscription[];
  charges: Stripe.Charge[];
  invoices: Stripe.Invoice[];
  pendingItems: Stripe.InvoiceItem[];
  balance: number;
  /** PaymentIntent id → the invoice it paid. */
  invoiceOfIntent: Map<string, string>;
}

export async function stripeView(w: World, account: ModelAccount): Promise<StripeView> {
  const { stripe } = w.h;
  const customer = account.customerId;
  const [subscriptions, charges, invoices, pendingItems, found] = await Promise.all([
    stripe.subscriptions.list({ customer, status: 'all', limit: 100 }),
    stripe.charges.list({ customer, limit: 100 }),
    stripe.invoices.list({ customer, limit: 100 }),
    stripe.invoiceItems.list({ customer, pending: true, limit: 100 }),
    stripe.customers.retrieve(customer),
  ]);
  const invoiceOfIntent = new Map<string, string>();
  for (const invoice of invoices.data) {
    if (invoice.status !== 'paid' || !invoice.id) continue;
    const payments = await stripe.invoicePayments.list({ invoice: invoice.id, limit: 100 });
    for (const payment of payments.data) {
      const intent = payment.payment.payment_intent;
      const id = typeof intent === 'string' ? intent : intent?.id;
      if (id && payment.status === 'paid') invoiceOfIntent.set(id, invoice.id);
    }
  }
  return {
    subscriptions: subscriptions.data,
    charges: charges.data.filter((charge) => charge.status === 'succeeded' && charge.captured),
    invoices: invoices.data,
    pendingItems: pendingItems.data,
    balance: 'deleted' in found && found.deleted ? 0 : (found as Stripe.Customer).balance,
    invoiceOfIntent,
  };
}

export const intentOf = (charge: Stripe.Charge): string | undefined =>
  typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;

export const priceOfLine = (line: Stripe.InvoiceLineItem): string | undefined => {
  const price = line.pricing?.price_details?.price;
  return typeof price === 'string' ? price : price?.id;
};

export const isProration = (line: Stripe.InvoiceLineItem): boolean =>
  Boolean(line.parent?.subscription_item_details?.proration ?? line.parent?.invoice_item_details?.proration ?? false);

// NOTE: amounts net of their discounts: with itemized proration discounts (flexible billing mode)
// a line shows its gross amount and each discount's amount beside it.
export const netOf = (line: { amount: number; discount_amounts?: Array<{ amount: number }> | null }) =>
  line.amount - (line.discount_amounts ?? []).reduce((sum, entry) => sum + entry.amount, 0);

export interface PurchaseRow {
  id: string;
  operation_id: string;
  kind: string;
  amount: string;
  currency: string;
  stripe_invoice_id: string | null;
  stripe_charge_id: string | null;
  stripe_payment_intent_id: string | null;
  paid_at: Date;
  refunded_at: Date | null;
  quote_amount: string | null;
  result: { status?: string; amount_charged?: number } | null;
}

export async function purchasesOf(w: World, account: ModelAccount): Promise<PurchaseRow[]> {
  return w.h.db.dataSource.query(
    `SELECT p.id, p.operation_id, p.kind, p.amount, p.currency, p.stripe_invoice_id, p.stripe_charge_id,
            p.stripe_payment_intent_id, p.paid_at, p.refunded_at, q.amount_due_now AS quote_amount, o.result
     FROM purchases p JOIN billing_operations o ON o.id = p.operation_id LEFT JOIN quotes q ON q.id = o.quote_id
     WHERE p.account_id = $1 ORDER BY p.paid_at, p.id`,
    [account.accountId],
  );
}

/** One account's check: what it reads once, shared by every invariant, and where each reports. */
export interface AccountCheck {
  w: World;
  account: ModelAccount;
  s: StripeView;
  purchases: PurchaseRow[];
  invoiceById: Map<string | undefined, Stripe.Invoice>;
  /** Charges of interrupted operations, left out of the revenue comparison (charge_has_consent). */
  inFlight: Set<string>;
  fail: (invariant: InvariantName, detail: string) => void;
}
