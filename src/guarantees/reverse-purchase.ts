import { mirrorSubscription } from '../billing/mirror-subscription';
import type { Stripe } from '../stripe/stripe-client';
import type { GuaranteeDeps } from './guarantee-deps';
import type { ClaimablePurchase } from './guarantee-purchases.repository';
import { claimKey, type RefundClaim } from './refund-claims.repository';

export type Reversal =
  | { action: 'reverted'; subscription: string; plan: string | null }
  | { action: 'canceled'; subscription: string }
  | { action: 'training_refunded' }
  | { action: 'none'; why: string };

/**
 * Takes back what a refunded purchase bought. A plan upgrade or add-on returns the subscription
 * to the items it had before, with `proration_behavior: 'none'`. NOTE: Stripe then creates no
 * proration lines and no invoice (the refund already settled the money); with any other value a
 * downgrade would leave credit or a new invoice. A first subscription (nothing before it) is
 * canceled at once, without proration or a final invoice. A training package is only marked.
 */
export async function reversePurchase(
  deps: GuaranteeDeps,
  claim: RefundClaim,
  purchase: ClaimablePurchase,
  key: (step: string) => string = (step) => claimKey(claim, step),
): Promise<Reversal> {
  if (purchase.kind === 'one_time') return { action: 'training_refunded' };
  const subscriptionId = purchase.stripeSubscriptionId;
  if (!subscriptionId) return { action: 'none', why: 'no subscription recorded' };
  const subscription = await deps.stripe.subscriptions.retrieve(subscriptionId);
  if (subscription.status === 'canceled') return { action: 'canceled', subscription: subscriptionId };
  const previousItems = purchase.previous.items ?? [];
  if (purchase.kind === 'subscription_start' || previousItems.length === 0) {
    await deps.stripe.subscriptions.cancel(
      subscriptionId,
      { prorate: false, invoice_now: false },
      { idempotencyKey: key('cancel') },
    );
    await mirrorSubscription(deps, subscriptionId);
    return { action: 'canceled', subscription: subscriptionId };
  }
  const items = itemsBack(subscription, previousItems, purchase.bought.items ?? []);
  if (items.length > 0)
    await deps.stripe.subscriptions.update(
      subscriptionId,
      { items, proration_behavior: 'none' },
      { idempotencyKey: key('revert') },
    );
  await mirrorSubscription(deps, subscriptionId);
  return { action: 'reverted', subscription: subscriptionId, plan: purchase.previous.plan ?? null };
}

/**
 * Pure: the `items` that undo one purchase on the subscription as it is now: what the purchase
 * added goes, what it replaced comes back, quantities return to what they were. Items the
 * purchase did not touch (bought later, or kept through it) stay as they are.
 */
export function itemsBack(
  subscription: Pick<Stripe.Subscription, 'items'>,
  previous: ReadonlyArray<{ price: string; quantity: number }>,
  bought: ReadonlyArray<{ price: string; quantity: number }>,
): Stripe.SubscriptionUpdateParams.Item[] {
  const before = new Map(previous.map((item) => [item.price, item.quantity]));
  const after = new Map(bought.map((item) => [item.price, item.quantity]));
  const current = subscription.items.data;
  const changed = current.flatMap((item): Stripe.SubscriptionUpdateParams.Item[] => {
    const price = item.price.id;
    if (!after.has(price)) return [];
    const quantity = before.get(price);
    if (quantity === undefined) return [{ id: item.id, deleted: true }];
    return quantity === item.quantity ? [] : [{ id: item.id, quantity }];
  });
  const have = new Set(current.map((item) => item.price.id));
  const restored = previous
    .filter((item) => !have.has(item.price) && !after.has(item.price))
    .map((item): Stripe.SubscriptionUpdateParams.Item => ({ price: item.price, quantity: item.quantity }));
  return [...changed, ...restored];
}
