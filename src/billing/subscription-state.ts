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
  /** Discounts on the subscription (coupon ids), sorted; absent where a caller does not know them. */
  discounts?: string[];
}

/** What a quote assumed about the customer beside the subscription: its credit balance moves the amount due. */
export interface CustomerFacts {
  balance: number;
  discounts: string[];
}

/**
 * Pure: a fingerprint of everything a quote assumed about the subscription and the customer
 * (balance, discounts): the preview's amount due depends on each. A change is refused (409
 * quote_stale) when Stripe no longer has this fingerprint, checked under the account's lane.
 */
export function subscriptionFingerprint(state: SubscriptionState | null, customer?: CustomerFacts): string {
  const about = customer ? [customer.balance, [...customer.discounts].sort()] : null;
  if (!state)
    return about
      ? crypto
          .createHash('sha256')
          .update(JSON.stringify(['none', about]))
          .digest('hex')
      : 'none';
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
    state.discounts ?? null,
    about,
  ];
  return crypto.createHash('sha256').update(JSON.stringify(facts)).digest('hex');
}
