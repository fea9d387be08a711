import { unprocessable } from '../shared/errors';
import type { Stripe, StripeClient } from '../stripe/stripe-client';
import type { BundleChange } from './bundle-change.rules';
import {
  boughtOf,
  lineReader,
  requireState,
  resolvePrices,
  type PreviewInput,
  type QuotePreview,
} from './preview-quote';
import { previewUpdate } from './preview-update';
import {
  BILLING_MODE,
  type BoughtItems,
  type BundleInvoiceItem,
  type CouponRef,
  type UpdateItem,
} from './quote-stripe-params';

type BundlePreviewInput = Omit<PreviewInput, 'plan'>;

/** Each line's discounts with their coupon, so the quote can tell the bundle's from any other. */
const DISCOUNT_COUPONS = 'lines.data.discount_amounts.discount';

/**
 * Asks Stripe what a bundle costs now, with its coupon on exactly the discounted items, and keeps
 * the parameters that will be replayed. NOTE: subscribed accounts get one pay-first update
 * (`pending_if_incomplete`): recurring items carry the coupon as item-level `discounts` (accepted
 * by pending updates since API version 2026-07-29.dahlia); one-time items cannot
 * (`add_invoice_items[].discounts` is not a pending-update parameter), so they are previewed as
 * `invoice_items` with their discount and, at the change, created as the subscription's pending
 * invoice items that the update's invoice takes in. Free accounts go through Checkout, whose one
 * discount is the coupon restricted by `applies_to`; its preview is the new subscription's first
 * invoice with the same coupon.
 */
export async function previewBundle(input: BundlePreviewInput, change: BundleChange): Promise<QuotePreview> {
  const { stripe } = input;
  const coupon = await bundleCoupon(stripe, change.bundle.code);
  const withCoupon = (discounted: boolean): { discounts?: CouponRef[] } =>
    discounted ? { discounts: [{ coupon }] } : {};
  const prices = await resolvePrices(stripe, [...change.target, ...change.oneTime], input.currency);
  const priceOf = (lookupKey: string) => prices.get(lookupKey)?.id ?? '';
  const bought: BoughtItems = {
    ...boughtOf(change.target, prices),
    bundle: change.bundle.code,
    one_time: change.oneTime.map((item) => ({
      kind: 'add_on',
      code: item.code,
      quantity: item.quantity,
      price: priceOf(item.lookupKey),
    })),
  };
  const invoiceItems: BundleInvoiceItem[] = change.oneTime.map((item) => ({
    price: priceOf(item.lookupKey),
    quantity: item.quantity,
    ...withCoupon(item.discounted),
  }));
  const toLine = lineReader(input.resolvePrice, prices, input.state);

  if (change.via === 'checkout') {
    const recurring = change.target.map((item) => ({ price: priceOf(item.lookupKey), quantity: item.quantity }));
    const preview = await stripe.invoices.createPreview({
      customer: input.customerId,
      currency: input.currency,
      subscription_details: { items: recurring, billing_mode: BILLING_MODE },
      invoice_items: invoiceItems.map((item) => ({ price: item.price, quantity: item.quantity })),
      discounts: [{ coupon }],
      expand: [DISCOUNT_COUPONS],
    });
    const lines = preview.lines.data.map(toLine);
    const renewal = await stripe.invoices.createPreview({
      customer: input.customerId,
      currency: input.currency,
      subscription_details: { items: recurring, billing_mode: BILLING_MODE },
      ...(change.bundle.discount.duration === 'forever' ? { discounts: [{ coupon }] } : {}),
    });
    return {
      stripeParams: {
        kind: 'checkout',
        customer: input.customerId,
        currency: input.currency,
        line_items: [...recurring, ...invoiceItems.map((item) => ({ price: item.price, quantity: item.quantity }))],
        discounts: [{ coupon }],
        bought,
      },
      amountDueNow: preview.amount_due,
      lines,
      nextInvoice: {
        amount: renewal.amount_due,
        date: lines.find((line) => !line.proration && line.period.end > line.period.start)?.period.end ?? input.now,
      },
      prorationDate: null,
    };
  }

  const live = requireState(input.state);
  const items: UpdateItem[] = [
    ...change.target.map((item): UpdateItem => {
      const price = priceOf(item.lookupKey);
      const base = item.existingItemId
        ? { id: item.existingItemId, price, quantity: item.quantity }
        : { price, quantity: item.quantity };
      return { ...base, ...withCoupon(item.discounted) };
    }),
    ...change.removedItemIds.map((id): UpdateItem => ({ id, deleted: true })),
  ];
  return previewUpdate(input, live, toLine, {
    direction: change.direction,
    items,
    bought,
    bundle: {
      code: change.bundle.code,
      coupon,
      invoice_items: invoiceItems,
      discountRecurs: change.bundle.discount.duration === 'forever',
    },
    expand: [DISCOUNT_COUPONS],
  });
}

/** The coupon catalog sync made for the bundle (found by metadata; its id carries a hash of its terms). */
async function bundleCoupon(stripe: StripeClient, code: string): Promise<string> {
  // NOTE: Stripe includes a coupon's applies_to only when expanded.
  const coupons = await stripe.coupons
    .list({ limit: 100, expand: ['data.applies_to'] })
    .autoPagingToArray({ limit: 1000 });
  const coupon = coupons
    .filter(
      (entry: Stripe.Coupon) =>
        entry.valid &&
        entry.metadata?.tierlift_kind === 'bundle' &&
        entry.metadata.tierlift_code === code &&
        (entry.applies_to?.products.length ?? 0) > 0,
    )
    .sort((a, b) => b.created - a.created)[0];
  if (!coupon)
    throw unprocessable('price_not_synced', `The ${code} bundle's coupon is not in Stripe yet; sync the catalog.`);
  return coupon.id;
}
