import crypto from 'node:crypto';

/** One item of the live Stripe subscription, named in catalog terms. */
export interface CurrentItem {
  id: string;
  priceId: string;
  kind: 'plan' | 'add_on';
  code: string;
  quantity: number;
}

/** The account's live Stripe subscription as billing decisions need it (times in Unix seconds). */
export interface SubscriptionState {
  id: string;
  customerId: string;
  status: string;
  planCode: string;
  interval: 'month' | 'year';
  currency: string;
  periodStart: number;
  periodEnd: number;
  cancelAtPeriodEnd: boolean;
  scheduleId: string | null;
  hasPendingUpdate: boolean;
  items: CurrentItem[];
}

/**
 * Pure: a fingerprint of everything a quote assumed about the subscription. A change is
 * refused (409 quote_stale) when Stripe's subscription no longer has this fingerprint.
 */
export function subscriptionFingerprint(state: SubscriptionState | null): string {
  if (!state) return 'none';
  const items = [...state.items]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((item) => [item.id, item.priceId, item.quantity]);
  const facts = [
    state.id,
    state.status,
    state.currency,
    state.periodStart,
    state.periodEnd,
    state.cancelAtPeriodEnd,
    state.scheduleId,
    state.hasPendingUpdate,
    items,
  ];
  return crypto.createHash('sha256').update(JSON.stringify(facts)).digest('hex');
}
