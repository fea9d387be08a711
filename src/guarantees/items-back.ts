import type { Stripe } from '../stripe/stripe-client';

type PricedQuantity = { price: string; quantity: number };

/**
 * Pure: the `items` that undo one purchase on the subscription as it is now. Only what the
 * purchase added goes (a quantity drops by what it added, so seats bought later stay); what it
 * replaced comes back only while what replaced it is still there. NOTE: when a later change has
 * already replaced what the purchase bought (monthly → yearly, an upgrade on top), nothing of the
 * purchase is left to take back and nothing is put back — else the subscription would end with
 * two plans.
 */
export function itemsBack(
  subscription: Pick<Stripe.Subscription, 'items'>,
  previous: readonly PricedQuantity[],
  bought: readonly PricedQuantity[],
): Stripe.SubscriptionUpdateParams.Item[] {
  const before = new Map(previous.map((item) => [item.price, item.quantity]));
  const after = new Map(bought.map((item) => [item.price, item.quantity]));
  const current = subscription.items.data;
  const have = new Set(current.map((item) => item.price.id));
  const added = [...after].filter(([price, quantity]) => quantity > (before.get(price) ?? 0));
  const superseded = added.some(([price]) => !have.has(price));
  const changed = current.flatMap((item): Stripe.SubscriptionUpdateParams.Item[] => {
    const gained = (after.get(item.price.id) ?? 0) - (before.get(item.price.id) ?? 0);
    if (gained <= 0) return [];
    const quantity = (item.quantity ?? 0) - gained;
    return quantity > 0 ? [{ id: item.id, quantity }] : [{ id: item.id, deleted: true }];
  });
  if (superseded) return changed;
  const restored = previous
    .filter((item) => !have.has(item.price) && !after.has(item.price))
    .map((item): Stripe.SubscriptionUpdateParams.Item => ({ price: item.price, quantity: item.quantity }));
  return [...changed, ...restored];
}

/** Pure: whether the subscription holds nothing but what a first purchase added (then canceling it undoes exactly that). */
export function onlyWhatItAdded(
  subscription: Pick<Stripe.Subscription, 'items'>,
  bought: readonly PricedQuantity[],
): boolean {
  const after = new Map(bought.map((item) => [item.price, item.quantity]));
  return subscription.items.data.every((item) => (item.quantity ?? 0) <= (after.get(item.price.id) ?? 0));
}

/** Pure: per price, the quantity the `items` of a reversal take away from the subscription. */
export function quantitiesTaken(
  subscription: Pick<Stripe.Subscription, 'items'>,
  items: readonly Stripe.SubscriptionUpdateParams.Item[],
): Map<string, number> {
  const taken = new Map<string, number>();
  for (const change of items) {
    const item = subscription.items.data.find((entry) => entry.id === change.id);
    if (!item) continue;
    const less = change.deleted ? (item.quantity ?? 0) : (item.quantity ?? 0) - (change.quantity ?? item.quantity ?? 0);
    if (less > 0) taken.set(item.price.id, (taken.get(item.price.id) ?? 0) + less);
  }
  return taken;
}
