import type { EmulatorStore } from './store';
import type { Price, Resource, Subscription, SubscriptionItem } from './resource-types';
import { fillStripeDefaults } from './stripe-defaults';

/** The legacy `plan` view Stripe still embeds next to each subscription item's price. */
export function planFromPrice(price: Price): Record<string, unknown> {
  return {
    id: price.id,
    object: 'plan',
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: String(price.unit_amount),
    billing_scheme: 'per_unit',
    created: price.created,
    currency: price.currency,
    interval: price.recurring?.interval ?? null,
    interval_count: price.recurring?.interval_count ?? null,
    livemode: false,
    metadata: price.metadata,
    nickname: price.nickname,
    product: price.product,
    usage_type: 'licensed',
  };
}

/** NOTE: Stripe leaves "includable" fields out unless expanded; the emulator stores them and strips them here. */
export const STORED_INCLUDABLE: Record<string, string[]> = {
  price: ['currency_options'],
  'checkout.session': ['line_items'],
  coupon: ['applies_to'],
};

function stripIncludable<T extends Resource>(resource: T): T {
  const copy = JSON.parse(JSON.stringify(resource)) as T;
  for (const field of STORED_INCLUDABLE[resource.object] ?? []) delete copy[field];
  return copy;
}

function renderPrice(price: Price): Price {
  return fillStripeDefaults(stripIncludable(price));
}

/** NOTE: a schedule bills in the mode of the subscription it manages (docs.stripe.com/billing/subscriptions/billing-mode). */
function scheduleBillingMode(store: EmulatorStore, schedule: Record<string, unknown>): void {
  if ('billing_mode' in schedule || typeof schedule.subscription !== 'string') return;
  const subscription = store.find<Subscription>('subscription', schedule.subscription) as
    | (Subscription & { billing_mode?: unknown })
    | undefined;
  if (subscription?.billing_mode) schedule.billing_mode = JSON.parse(JSON.stringify(subscription.billing_mode));
}

/** Subscription items embed their price; show it as it is now, like Stripe does. */
function refreshPrice(store: EmulatorStore, item: SubscriptionItem): void {
  const price = renderPrice(store.find<Price>('price', item.price.id) ?? item.price);
  item.price = price;
  item.plan = planFromPrice(price);
}

/** A deep copy of a stored resource in its API shape, with embedded prices kept current. */
export function renderResource(store: EmulatorStore, resource: Resource): Record<string, unknown> {
  if (resource.object === 'price') return renderPrice(resource as Price);
  if (resource.object === 'webhook_endpoint') {
    const { secret: _secret, ...endpoint } = resource;
    return JSON.parse(JSON.stringify(endpoint)) as Record<string, unknown>;
  }
  const copy = stripIncludable(resource);
  if (copy.object === 'discount') collapseCoupon(copy);
  if (copy.object === 'subscription_item') refreshPrice(store, copy as SubscriptionItem);
  if (copy.object === 'subscription') {
    const subscription = copy as Subscription;
    const pendingItems = (subscription.pending_update?.subscription_items ?? []) as Subscription['items']['data'];
    for (const item of [...subscription.items.data, ...pendingItems]) refreshPrice(store, item);
  }
  if (copy.object === 'subscription_schedule') scheduleBillingMode(store, copy);
  return fillStripeDefaults(copy);
}

/**
 * NOTE: `discount.source.coupon` is an expandable id (Stripe.Discount.Source.coupon: string | Coupon);
 * the emulator keeps the coupon as it was when the discount was made and answers its id unless
 * `…source.coupon` is expanded.
 */
function collapseCoupon(discount: Resource): void {
  const source = discount.source as { coupon?: unknown } | undefined;
  const coupon = source?.coupon;
  if (source && coupon && typeof coupon === 'object') source.coupon = (coupon as { id: string }).id;
}
