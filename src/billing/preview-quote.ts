import { unprocessable } from '../shared/errors';
import type { Stripe, StripeClient } from '../stripe/stripe-client';
import type { PriceCodeResolver } from '../webhooks/price-codes';
import type { ChangePlan, OneTimeItem, TargetItem } from './plan-change.rules';
import type { PreviewLine } from './quote-lines';
import { previewUpdate, previousOf } from './preview-update';
import {
  BILLING_MODE,
  type BoughtItems,
  type PriceQuantity,
  type QuoteStripeParams,
  type UpdateItem,
} from './quote-stripe-params';
import type { SubscriptionState } from './subscription-state';

export interface QuotePreview {
  stripeParams: QuoteStripeParams;
  amountDueNow: number;
  lines: PreviewLine[];
  nextInvoice: { amount: number; date: number } | null;
  prorationDate: number | null;
}

export interface PreviewInput {
  stripe: StripeClient;
  resolvePrice: PriceCodeResolver;
  plan: ChangePlan;
  state: SubscriptionState | null;
  customerId: string;
  currency: string;
  /** Stripe's "now" for this customer (test clocks included), Unix seconds. */
  now: number;
  /** Whether the customer has a saved default card: without one, one-time purchases go through Checkout. */
  hasPaymentMethod: boolean;
  /** Free → paid with the plan's trial: its length in days (trial-eligibility.rules.ts). */
  trialDays?: number | null;
}

/**
 * Asks Stripe what a change costs (`invoices.createPreview`) and returns the exact
 * parameters that will be replayed to make the charge equal the quote.
 * NOTE: the proration date is fixed here and sent again with the update (STRIPE.md).
 */
export async function previewQuote(input: PreviewInput): Promise<QuotePreview> {
  const { plan, state, stripe } = input;
  if (plan.kind === 'cancel') {
    const live = requireState(state);
    return {
      stripeParams: { kind: 'cancel', subscription: live.id, customer: input.customerId, previous: previousOf(live) },
      amountDueNow: 0,
      lines: [],
      nextInvoice: null,
      prorationDate: null,
    };
  }
  if (plan.kind === 'one_time') return previewOneTime(input, plan.items);
  const prices = await resolvePrices(stripe, plan.target, input.currency);
  const bought = boughtOf(plan.target, prices);
  const priceQuantities: PriceQuantity[] = bought.items.map((item) => ({ price: item.price, quantity: item.quantity }));
  const toLine = lineReader(input.resolvePrice, prices, state);

  if (plan.kind === 'update') {
    const live = requireState(state);
    const items: UpdateItem[] = [
      ...plan.target.map((item, index): UpdateItem => {
        const price = bought.items[index]?.price ?? '';
        return item.existingItemId
          ? { id: item.existingItemId, price, quantity: item.quantity }
          : { price, quantity: item.quantity };
      }),
      ...plan.removedItemIds.map((id): UpdateItem => ({ id, deleted: true })),
    ];
    return previewUpdate(input, live, toLine, { direction: plan.direction, items, bought });
  }

  // A new subscription (checkout) or the next phase of a schedule: Stripe's first invoice for these items.
  // NOTE: a downgrade keeps the subscription's own discounts (schedule-downgrade carries them into
  // the next phase), so the next invoice is previewed with them.
  const kept = plan.kind === 'schedule' ? (state?.discounts ?? []) : [];
  const firstInvoice = await stripe.invoices.createPreview({
    customer: input.customerId,
    currency: input.currency,
    subscription_details: { items: priceQuantities, billing_mode: BILLING_MODE },
    ...(kept.length > 0 ? { discounts: kept.map((coupon) => ({ coupon })) } : {}),
  });
  const firstLines = firstInvoice.lines.data.map(toLine);
  if (plan.kind === 'checkout' && input.trialDays) {
    // NOTE: a trial invoices 0 at Checkout and the first real invoice (the amount previewed here)
    // at its end (docs.stripe.com/billing/subscriptions/trials).
    return {
      stripeParams: {
        kind: 'checkout',
        customer: input.customerId,
        currency: input.currency,
        line_items: priceQuantities,
        bought,
        trial_period_days: input.trialDays,
      },
      amountDueNow: 0,
      lines: firstLines,
      nextInvoice: { amount: firstInvoice.amount_due, date: input.now + input.trialDays * 86_400 },
      prorationDate: null,
    };
  }
  if (plan.kind === 'checkout') {
    return {
      stripeParams: {
        kind: 'checkout',
        customer: input.customerId,
        currency: input.currency,
        line_items: priceQuantities,
        bought,
      },
      amountDueNow: firstInvoice.amount_due,
      lines: firstLines,
      nextInvoice: { amount: firstInvoice.amount_due, date: firstLines[0]?.period.end ?? input.now },
      prorationDate: null,
    };
  }
  const live = requireState(state);
  return {
    stripeParams: {
      kind: 'schedule',
      subscription: live.id,
      customer: input.customerId,
      currency: live.currency,
      current_items: live.items.map((item) => ({ price: item.priceId, quantity: item.quantity })),
      next_items: priceQuantities,
      switch_at: live.periodEnd,
      previous: previousOf(live),
      bought,
    },
    amountDueNow: 0,
    lines: [],
    nextInvoice: { amount: firstInvoice.amount_due, date: live.periodEnd },
    prorationDate: null,
  };
}

/** One-time add-ons: Stripe's preview of an invoice for them now, at full price. */
async function previewOneTime(input: PreviewInput, oneTime: OneTimeItem[]): Promise<QuotePreview> {
  const prices = await resolvePrices(input.stripe, oneTime, input.currency);
  const items = oneTime.map((item) => ({ price: prices.get(item.lookupKey)?.id ?? '', quantity: item.quantity }));
  const bought: BoughtItems = {
    plan: input.state?.planCode ?? 'free',
    interval: input.state?.interval ?? 'month',
    items: oneTime.map((item, index) => ({
      kind: 'add_on',
      code: item.code,
      quantity: item.quantity,
      price: items[index]?.price ?? '',
    })),
  };
  const preview = await input.stripe.invoices.createPreview({
    customer: input.customerId,
    currency: input.currency,
    invoice_items: items,
  });
  const stripeParams: QuoteStripeParams = input.hasPaymentMethod
    ? { kind: 'one_time', customer: input.customerId, currency: input.currency, items, bought }
    : {
        kind: 'checkout',
        mode: 'payment',
        customer: input.customerId,
        currency: input.currency,
        line_items: items,
        bought,
      };
  return {
    stripeParams,
    // NOTE: Checkout in payment mode charges the lines' total and never uses the customer balance
    // (an operator's credit): only an invoice paid with the saved card does (amount_due).
    amountDueNow: stripeParams.kind === 'one_time' ? preview.amount_due : preview.total,
    lines: preview.lines.data.map(lineReader(input.resolvePrice, prices, input.state)),
    nextInvoice: null,
    prorationDate: null,
  };
}

export function requireState(state: SubscriptionState | null): SubscriptionState {
  if (!state) throw new Error('a subscription change needs a live subscription');
  return state;
}

/** Each target item's Stripe price (by the lookup_key catalog sync gives it), sold in `currency`. */
export async function resolvePrices(
  stripe: StripeClient,
  target: Array<{ lookupKey: string }>,
  currency: string,
): Promise<Map<string, Stripe.Price>> {
  const keys = [...new Set(target.map((item) => item.lookupKey))];
  const list = await stripe.prices.list({
    lookup_keys: keys,
    active: true,
    limit: 100,
    expand: ['data.currency_options'],
  });
  const byKey = new Map<string, Stripe.Price>();
  for (const price of list.data) if (price.lookup_key) byKey.set(price.lookup_key, price);
  for (const key of keys) {
    const price = byKey.get(key);
    if (!price)
      throw unprocessable('price_not_synced', `The catalog price ${key} is not in Stripe yet; sync the catalog.`);
    if (price.currency !== currency && !price.currency_options?.[currency])
      throw unprocessable('currency_not_available', `${key} is not sold in ${currency.toUpperCase()}.`);
  }
  return byKey;
}

export function boughtOf(target: TargetItem[], prices: Map<string, Stripe.Price>): BoughtItems {
  const plan = target.find((item) => item.kind === 'plan');
  const planPrice = plan ? prices.get(plan.lookupKey) : undefined;
  return {
    plan: plan?.code ?? 'unknown',
    interval: planPrice?.recurring?.interval === 'year' ? 'year' : 'month',
    items: target.map((item) => ({
      kind: item.kind,
      code: item.code,
      quantity: item.quantity,
      price: prices.get(item.lookupKey)?.id ?? '',
    })),
  };
}

export function lineReader(
  resolve: PriceCodeResolver,
  prices: Map<string, Stripe.Price>,
  state: SubscriptionState | null,
): (line: Stripe.InvoiceLineItem) => PreviewLine {
  const known = new Map<string, { kind: 'plan' | 'add_on'; code: string }>();
  for (const item of state?.items ?? []) known.set(item.priceId, { kind: item.kind, code: item.code });
  for (const price of prices.values()) {
    const code = resolve(price);
    if (code) known.set(price.id, code);
  }
  return (line) => {
    const price = line.pricing?.price_details?.price;
    const priceId = typeof price === 'string' ? price : price?.id;
    const parent = line.parent;
    const proration = parent?.subscription_item_details?.proration ?? parent?.invoice_item_details?.proration ?? false;
    return {
      amount: line.amount,
      discount: (line.discount_amounts ?? []).reduce((sum, entry) => sum + entry.amount, 0),
      couponDiscounts: (line.discount_amounts ?? []).map((entry) => ({
        coupon: couponOf(entry.discount),
        amount: entry.amount,
      })),
      quantity: line.quantity ?? 1,
      proration,
      item: priceId ? known.get(priceId) : undefined,
      stripeDescription: line.description ?? '',
      period: { start: line.period.start, end: line.period.end },
    };
  };
}

/** The coupon behind a line's discount, when Stripe sent the discount expanded. */
function couponOf(discount: string | Stripe.Discount | Stripe.DeletedDiscount): string | null {
  if (typeof discount === 'string' || !('source' in discount)) return null;
  const coupon = discount.source?.coupon;
  return typeof coupon === 'string' ? coupon : (coupon?.id ?? null);
}
