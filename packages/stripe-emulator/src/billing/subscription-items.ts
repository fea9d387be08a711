import type { EmulatorContext } from '../emulator-context';
import { newId } from '../ids';
import type { Period, Price, Subscription, SubscriptionItem } from '../resource-types';
import { planFromPrice } from '../render';
import type { ChargeDraft } from './charge-draft';
import { itemDescription, productName, unitAmountIn } from './price-amounts';

/** An item as a subscription change wants it, before it is a `si_...` object. */
export interface ItemPlan {
  id: string;
  priceId: string;
  quantity: number;
  metadata: Record<string, string>;
  /** Ids of this item's own discounts (`di_...`). */
  discounts: string[];
}

export function buildSubscriptionItem(
  context: EmulatorContext,
  plan: ItemPlan,
  subscriptionId: string,
  period: Period,
  created: number,
): SubscriptionItem {
  const price = context.store.require<Price>('price', plan.priceId);
  return {
    id: plan.id,
    object: 'subscription_item',
    billing_thresholds: null,
    created,
    current_period_end: period.end,
    current_period_start: period.start,
    discounts: [...plan.discounts],
    metadata: plan.metadata,
    plan: planFromPrice(price),
    price,
    quantity: plan.quantity,
    subscription: subscriptionId,
    tax_rates: [],
  };
}

export function itemPlansOf(subscription: Subscription): ItemPlan[] {
  return subscription.items.data.map((item) => ({
    id: item.id,
    priceId: item.price.id,
    quantity: item.quantity,
    discounts: [...item.discounts],
    metadata: { ...item.metadata },
  }));
}

export function newItemId(): string {
  return newId('si');
}

/** Full-period charges for each item ("1 × Pro (at $10.00 / month)"). */
export function periodDrafts(
  context: EmulatorContext,
  subscription: Subscription,
  plans: ItemPlan[],
  period: Period,
): ChargeDraft[] {
  return plans.map((plan) => {
    const price = context.store.require<Price>('price', plan.priceId);
    const unitAmount = unitAmountIn(price, subscription.currency);
    return {
      amount: unitAmount * plan.quantity,
      currency: subscription.currency,
      description: itemDescription(context.store, price, plan.quantity, subscription.currency),
      period,
      priceId: price.id,
      productId: price.product,
      quantity: plan.quantity,
      unitAmount,
      proration: false,
      subscriptionId: subscription.id,
      subscriptionItemId: plan.id,
      invoiceItemId: null,
      discounts: [...plan.discounts],
    };
  });
}

/** The zero-amount lines Stripe puts on a trial's first invoice ("Trial period for Pro"). */
export function trialDrafts(
  context: EmulatorContext,
  subscription: Subscription,
  plans: ItemPlan[],
  period: Period,
): ChargeDraft[] {
  return periodDrafts(context, subscription, plans, period).map((draft) => {
    const price = context.store.require<Price>('price', draft.priceId);
    return { ...draft, amount: 0, unitAmount: 0, description: `Trial period for ${productName(context.store, price)}` };
  });
}

export function subscriptionPeriod(subscription: Subscription): Period {
  const first = subscription.items.data[0];
  return first
    ? { start: first.current_period_start, end: first.current_period_end }
    : { start: subscription.billing_cycle_anchor, end: subscription.billing_cycle_anchor };
}

export function recurringOf(
  context: EmulatorContext,
  priceId: string,
): { interval: 'day' | 'week' | 'month' | 'year'; interval_count: number } {
  const price = context.store.require<Price>('price', priceId);
  return price.recurring ?? { interval: 'month', interval_count: 1 };
}

/** Replaces a subscription's items (keeping ids and creation times of the ones that stay). */
export function applyItemPlans(
  context: EmulatorContext,
  subscription: Subscription,
  plans: ItemPlan[],
  period: Period,
  at: number,
): void {
  const existing = new Map(subscription.items.data.map((item) => [item.id, item]));
  subscription.items.data = plans.map((plan) =>
    buildSubscriptionItem(context, plan, subscription.id, period, existing.get(plan.id)?.created ?? at),
  );
  subscription.items.total_count = subscription.items.data.length;
}

/** The fields Stripe reports in `previous_attributes` when items change. */
export function previousItems(subscription: Subscription): Record<string, unknown> {
  return { items: JSON.parse(JSON.stringify(subscription.items)) as unknown };
}
