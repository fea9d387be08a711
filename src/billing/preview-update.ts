import type { Stripe } from '../stripe/stripe-client';
import type { PreviewInput, QuotePreview } from './preview-quote';
import type { PreviewLine } from './quote-lines';
import {
  BILLING_MODE,
  type BoughtItems,
  type BundleInvoiceItem,
  type PreviousState,
  type QuoteStripeParams,
  type UpdateItem,
} from './quote-stripe-params';
import type { SubscriptionState } from './subscription-state';

/**
 * The pay-first update's invoice as Stripe computes it now (`always_invoice` at the fixed proration
 * date), and the parameters that will be replayed to make the charge equal it. A bundle adds its
 * one-time items (previewed as `invoice_items`) and asks for each line's coupons.
 */
export async function previewUpdate(
  input: Pick<PreviewInput, 'stripe' | 'customerId' | 'now'>,
  live: SubscriptionState,
  toLine: (line: Stripe.InvoiceLineItem) => PreviewLine,
  update: {
    direction: Extract<QuoteStripeParams, { kind: 'update' }>['direction'];
    items: UpdateItem[];
    bought: BoughtItems;
    bundle?: { code: string; coupon: string; invoice_items: BundleInvoiceItem[]; discountRecurs: boolean };
    expand?: string[];
  },
): Promise<QuotePreview> {
  const { items, bundle } = update;
  const preview = await input.stripe.invoices.createPreview({
    customer: input.customerId,
    subscription: live.id,
    subscription_details: {
      items,
      proration_behavior: 'always_invoice',
      proration_date: input.now,
      billing_mode: BILLING_MODE,
    },
    ...(bundle ? { invoice_items: bundle.invoice_items } : {}),
    ...(update.expand ? { expand: update.expand } : {}),
  });
  // NOTE: when the update invoices nothing now (a free period: no proration, no new period), Stripe's
  // preview is the next upcoming invoice, not a charge now: nothing is due now and no line is paid now.
  const now = preview.billing_reason !== 'upcoming';
  const lines = now ? preview.lines.data.map(toLine) : [];
  return {
    stripeParams: {
      kind: 'update',
      direction: update.direction,
      subscription: live.id,
      customer: input.customerId,
      items,
      proration_date: input.now,
      previous: previousOf(live),
      bought: update.bought,
      ...(bundle ? { bundle: { code: bundle.code, coupon: bundle.coupon, invoice_items: bundle.invoice_items } } : {}),
    },
    amountDueNow: now ? preview.amount_due : 0,
    lines,
    nextInvoice: await nextInvoiceAfterUpdate(input, live, items, lines, bundle?.discountRecurs ?? false),
    prorationDate: input.now,
  };
}

/**
 * The renewal after an update: Stripe's upcoming invoice, or the new period's charge when the anchor
 * resets. `discountRecurs`: the lines' discounts come back at the renewal (a `forever` coupon).
 */
export async function nextInvoiceAfterUpdate(
  input: Pick<PreviewInput, 'stripe' | 'customerId'>,
  live: SubscriptionState,
  items: UpdateItem[],
  lines: PreviewLine[],
  discountRecurs = false,
): Promise<{ amount: number; date: number }> {
  // NOTE: one-time invoice items (a bundle's training) are neither prorations nor periods: their
  // period starts and ends on the day they are invoiced, and they never renew.
  const periodLines = lines.filter((line) => !line.proration && line.period.end > line.period.start);
  if (periodLines.length > 0) {
    // NOTE: a new interval resets the billing cycle anchor: this invoice already holds the new period's charge.
    const amount = periodLines.reduce(
      (sum, line) => sum + line.amount - (discountRecurs ? (line.discount ?? 0) : 0),
      0,
    );
    return { amount, date: periodLines[0]?.period.end ?? live.periodEnd };
  }
  const upcoming = await input.stripe.invoices.createPreview({
    customer: input.customerId,
    subscription: live.id,
    subscription_details: { items, proration_behavior: 'none', billing_mode: BILLING_MODE },
  });
  return { amount: upcoming.amount_due, date: live.periodEnd };
}

export function previousOf(state: SubscriptionState): PreviousState {
  return {
    plan: state.planCode,
    interval: state.interval,
    items: state.items.map((item) => ({
      kind: item.kind,
      code: item.code,
      quantity: item.quantity,
      price: item.priceId,
    })),
  };
}
