import type { EntityManager } from 'typeorm';
import type { SubscriptionMirror } from './subscription-mirror';

/** What a subscription holds, in the shape analytics prices (plan, interval, items with quantities). */
export interface MirroredHolding {
  plan: string;
  interval: 'month' | 'year';
  items: Array<{ kind: string; code: string; quantity: number }>;
}

/** A change of what the subscription holds that took effect at a renewal (no purchase behind it). */
export interface RenewalChange {
  subscriptionId: string;
  accountId: string;
  /** Unix seconds: the boundary it took effect at. */
  effectiveAt: number;
  currency: string;
  previous: MirroredHolding;
  current: MirroredHolding;
}

const holdingOf = (m: SubscriptionMirror): MirroredHolding => ({
  plan: m.planCode,
  interval: m.interval,
  items: m.items.map((item) => ({ kind: item.kind, code: item.code, quantity: item.quantity })),
});

const key = (h: MirroredHolding) =>
  `${h.interval}|${h.items
    .map((i) => `${i.kind}:${i.code}:${i.quantity}`)
    .sort()
    .join(',')}`;

/**
 * Pure: the renewal change between the mirror as it was and Stripe's subscription now, if any.
 * NOTE: a paid change takes effect at once, inside the period (an interval change restarts the
 * period now, before the old period's end); only a subscription schedule's next phase (a downgrade
 * waiting for the renewal) changes the items as the period rolls over. So a new period starting at
 * or after the old one's end, with other items, is a change at that renewal — dated at the old
 * period's end, the boundary Stripe applied it at.
 */
export function renewalChange(before: SubscriptionMirror | undefined, after: SubscriptionMirror): RenewalChange | null {
  if (!before || after.currentPeriodStart < before.currentPeriodEnd) return null;
  const previous = holdingOf(before);
  const current = holdingOf(after);
  if (key(previous) === key(current)) return null;
  return {
    subscriptionId: after.id,
    accountId: after.accountId,
    effectiveAt: before.currentPeriodEnd,
    currency: after.currency,
    previous,
    current,
  };
}

/** Records the change once per (subscription, renewal), in the mirror's transaction. */
export async function recordRenewalChange(manager: EntityManager, change: RenewalChange): Promise<void> {
  await manager.query(
    `INSERT INTO subscription_renewal_changes (subscription_id, account_id, effective_at, currency, previous, current)
     VALUES ($1, $2, to_timestamp($3), $4, $5::jsonb, $6::jsonb)
     ON CONFLICT (subscription_id, effective_at) DO NOTHING`,
    [
      change.subscriptionId,
      change.accountId,
      change.effectiveAt,
      change.currency,
      JSON.stringify(change.previous),
      JSON.stringify(change.current),
    ],
  );
}
