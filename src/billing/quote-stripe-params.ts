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
    }
  | { kind: 'cancel'; subscription: string; customer: string; previous: PreviousState };
