import type { SubscriptionItem, SubscriptionStatus } from '../billing/subscription.entity';
import type { Stripe } from '../stripe/stripe-client';
import type { PriceCodeResolver } from './price-codes';

/** One row of the `subscriptions` mirror, as Stripe's current object says it should be. */
export interface SubscriptionMirror {
  id: string;
  accountId: string;
  status: SubscriptionStatus;
  planCode: string;
  interval: 'month' | 'year';
  currency: string;
  billingCycleAnchor: number;
  currentPeriodStart: number;
  currentPeriodEnd: number;
  cancelAtPeriodEnd: boolean;
  canceledAt: number | null;
  /** When it really stopped (for a cancellation at period end, the period end; `canceledAt` is the request). */
  endedAt: number | null;
  trialEnd: number | null;
  items: SubscriptionItem[];
  pendingUpdate: Record<string, unknown> | null;
  stripeCreatedAt: number;
}

/** Pure: the mirror row for a Stripe subscription (times in Unix seconds). */
export function subscriptionMirror(
  subscription: Stripe.Subscription,
  accountId: string,
  resolve: PriceCodeResolver,
): SubscriptionMirror {
  const stripeItems = subscription.items.data;
  const items = stripeItems.map((item) => mirrorItem(item, resolve));
  const planIndex = items.findIndex((item) => item.kind === 'plan');
  const planItem = stripeItems[planIndex] ?? stripeItems[0];
  // NOTE: since API 2025-03-31 the current period lives on each subscription item, not the subscription.
  const start = planItem?.current_period_start ?? Math.min(...stripeItems.map((i) => i.current_period_start));
  const end = planItem?.current_period_end ?? Math.max(...stripeItems.map((i) => i.current_period_end));
  return {
    id: subscription.id,
    accountId,
    status: knownStatus(subscription.status),
    planCode: items[planIndex]?.code ?? items[0]?.code ?? 'unknown',
    interval: planItem?.price.recurring?.interval === 'year' ? 'year' : 'month',
    currency: subscription.currency,
    billingCycleAnchor: subscription.billing_cycle_anchor,
    currentPeriodStart: start,
    currentPeriodEnd: end,
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    canceledAt: subscription.canceled_at ?? null,
    endedAt: subscription.ended_at ?? null,
    trialEnd: subscription.trial_end ?? null,
    items,
    pendingUpdate: pendingUpdateOf(subscription.pending_update, resolve),
    stripeCreatedAt: subscription.created,
  };
}

const STATUSES: ReadonlySet<string> = new Set<SubscriptionStatus>([
  'incomplete',
  'incomplete_expired',
  'trialing',
  'active',
  'past_due',
  'canceled',
  'unpaid',
  'paused',
]);

/** A status added to Stripe after this code was written fails loudly (the event retries) rather than guess. */
function knownStatus(status: string): SubscriptionStatus {
  if (!STATUSES.has(status)) throw new Error(`unknown Stripe subscription status ${status}`);
  return status as SubscriptionStatus;
}

function mirrorItem(item: Stripe.SubscriptionItem, resolve: PriceCodeResolver): SubscriptionItem {
  const code = resolve(item.price);
  return {
    id: item.id,
    price_id: item.price.id,
    kind: code?.kind ?? 'add_on',
    code: code?.code ?? item.price.lookup_key ?? item.price.id,
    quantity: item.quantity ?? 1,
  };
}

function pendingUpdateOf(
  pending: Stripe.Subscription.PendingUpdate | null,
  resolve: PriceCodeResolver,
): Record<string, unknown> | null {
  if (!pending) return null;
  return {
    expires_at: pending.expires_at,
    billing_cycle_anchor: pending.billing_cycle_anchor ?? null,
    trial_end: pending.trial_end ?? null,
    items: (pending.subscription_items ?? []).map((item) => mirrorItem(item, resolve)),
  };
}

/** Pure: the fields where two mirrors differ (empty when equal). */
export function mirrorDifferences(current: SubscriptionMirror | undefined, wanted: SubscriptionMirror): string[] {
  if (!current) return ['created'];
  const keys = Object.keys(wanted) as Array<keyof SubscriptionMirror>;
  return keys.filter((key) => canonical(current[key]) !== canonical(wanted[key]));
}

/** JSON with object keys sorted: jsonb does not keep key order, so plain stringify would see false drift. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
