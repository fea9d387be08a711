/**
 * The billing mode Tierlift asks for wherever it creates subscriptions or previews them (invoice
 * previews, Checkout's subscription_data): flexible, Stripe's default at 2026-10-28.endive, sent
 * explicitly so that a change of default never changes the arithmetic. NOTE: flexible credits the
 * unused part of what was charged for an item, after its discounts
 * (docs.stripe.com/billing/subscriptions/billing-mode/compare). Proration discounts `itemized`:
 * each proration line shows its gross amount and what each coupon took off, which is how a quote
 * tells the bundle's discount (docs.stripe.com/changelog/clover/2025-09-30/itemize-proration-discount-amounts).
 * A schedule made `from_subscription` takes its subscription's mode (no other parameter may be set with it).
 */
export const BILLING_MODE = { type: 'flexible', flexible: { proration_discounts: 'itemized' } } as const;

/** A price and quantity as Stripe takes them. */
export interface PriceQuantity {
  price: string;
  quantity: number;
}

/** An item of `subscriptions.update({ items })`. */
export interface UpdateItem {
  id?: string;
  price?: string;
  quantity?: number;
  deleted?: boolean;
  /** A bundle's coupon on exactly this item (item-level: it never reaches the other items). */
  discounts?: CouponRef[];
}

export interface CouponRef {
  coupon: string;
}

/** A bundle's one-time item, charged on the bundle's one invoice with its own discount. */
export interface BundleInvoiceItem {
  price: string;
  quantity: number;
  discounts?: CouponRef[];
}

/** What the subscription held before the change (for purchases and guarantees). */
export interface PreviousState {
  plan: string;
  interval: 'month' | 'year';
  items: Array<{ kind: 'plan' | 'add_on'; code: string; quantity: number; price: string }>;
}

/** What the change buys, in catalog terms. */
export interface BoughtItems {
  plan: string;
  interval: 'month' | 'year';
  items: Array<{ kind: 'plan' | 'add_on'; code: string; quantity: number; price: string }>;
  /** A bundle purchase: its code and the one-time add-ons it charged once. */
  bundle?: string;
  one_time?: Array<{ kind: 'add_on'; code: string; quantity: number; price: string }>;
}

/**
 * The exact Stripe parameters a quote previewed, stored with the quote and replayed
 * by the change: the charge then equals the quote to the minor unit.
 */
export type QuoteStripeParams =
  | {
      kind: 'update';
      direction: 'upgrade' | 'interval_change' | 'add_ons';
      subscription: string;
      customer: string;
      items: UpdateItem[];
      proration_date: number;
      previous: PreviousState;
      bought: BoughtItems;
      /**
       * A bundle: its one-time items, created as pending invoice items of the subscription (with
       * their discount) just before the update, whose `always_invoice` invoice takes them in.
       */
      bundle?: { code: string; coupon: string; invoice_items: BundleInvoiceItem[] };
    }
  | {
      kind: 'schedule';
      subscription: string;
      customer: string;
      currency: string;
      current_items: PriceQuantity[];
      next_items: PriceQuantity[];
      switch_at: number;
      previous: PreviousState;
      bought: BoughtItems;
    }
  | {
      kind: 'one_time';
      customer: string;
      currency: string;
      items: PriceQuantity[];
      bought: BoughtItems;
    }
  | {
      kind: 'checkout';
      /** `payment` for one-time add-ons bought without a saved card; absent (older quotes): subscription. */
      mode?: 'subscription' | 'payment';
      customer: string;
      currency: string;
      line_items: PriceQuantity[];
      bought: BoughtItems;
      /** A bundle's coupon (restricted by `applies_to` to the discounted products). */
      discounts?: CouponRef[];
      /** The plan's free trial (issue #20): nothing charged at Checkout, the first invoice at its end. */
      trial_period_days?: number;
    }
  | { kind: 'cancel'; subscription: string; customer: string; previous: PreviousState };
