import { conflict } from '../shared/errors';
import type { Stripe, StripeClient } from '../stripe/stripe-client';
import type { PriceCodeResolver } from '../webhooks/price-codes';
import type { CurrentItem, CustomerFacts, SubscriptionState } from './subscription-state';

/** Statuses of a subscription that still bills the customer (the one a change applies to). */
const LIVE = new Set(['trialing', 'active', 'past_due', 'unpaid']);

/** Translates Stripe's subscription into the billing state decisions are made on. */
export function subscriptionStateOf(subscription: Stripe.Subscription, resolve: PriceCodeResolver): SubscriptionState {
  const items: CurrentItem[] = subscription.items.data.map((item) => {
    const code = resolve(item.price);
    return {
      id: item.id,
      priceId: item.price.id,
      kind: code?.kind ?? 'add_on',
      code: code?.code ?? item.price.id,
      quantity: item.quantity ?? 1,
    };
  });
  const planIndex = Math.max(
    0,
    items.findIndex((item) => item.kind === 'plan'),
  );
  const planItem = subscription.items.data[planIndex];
  return {
    id: subscription.id,
    customerId: typeof subscription.customer === 'string' ? subscription.customer : subscription.customer.id,
    status: subscription.status,
    planCode: items[planIndex]?.code ?? 'unknown',
    interval: planItem?.price.recurring?.interval === 'year' ? 'year' : 'month',
    currency: subscription.currency,
    // NOTE: since API 2025-03-31 the current period lives on each subscription item.
    periodStart: planItem?.current_period_start ?? 0,
    periodEnd: planItem?.current_period_end ?? 0,
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    scheduleId: idOf(subscription.schedule),
    hasPendingUpdate: subscription.pending_update !== null,
    items,
    discounts: discountIds(subscription.discounts),
  };
}

/** The coupon (or discount) ids of a `discounts` list, expanded or not, sorted. */
export function discountIds(discounts: ReadonlyArray<string | Stripe.Discount> | null | undefined): string[] {
  return (discounts ?? [])
    .map((discount) =>
      typeof discount === 'string' ? discount : (idOf(discount.source?.coupon ?? null) ?? discount.id),
    )
    .sort();
}

/** What a quote assumes about the customer: the credit balance the invoice applies, and its discounts. */
export function customerFactsOf(customer: Stripe.Customer): CustomerFacts {
  return { balance: customer.balance ?? 0, discounts: customer.discount ? [customer.discount.id] : [] };
}

/**
 * The customer's live Stripe subscription, if any. More than one live is a 409: no change can be
 * priced or applied against the right one until an operator resolves it in Stripe.
 */
export async function readLiveSubscription(
  stripe: StripeClient,
  customerId: string,
): Promise<Stripe.Subscription | undefined> {
  // NOTE: discounts expanded: the state names them by coupon (a downgrade's next invoice is previewed with them).
  const list = await stripe.subscriptions.list({
    customer: customerId,
    status: 'all',
    limit: 20,
    expand: ['data.discounts'],
  });
  const live = list.data.filter((subscription) => LIVE.has(subscription.status));
  if (live.length > 1)
    throw conflict(
      'multiple_live_subscriptions',
      'This account has more than one live subscription in Stripe; billing changes wait until support resolves it.',
      { subscriptions: live.map((subscription) => subscription.id) },
    );
  return live[0];
}

/**
 * "Now" as Stripe sees it for this customer: a customer on a test clock lives at the
 * clock's frozen time (proration dates must fall inside its current period).
 */
export async function stripeNow(stripe: StripeClient, customer: Stripe.Customer, fallback: Date): Promise<number> {
  const clockId = idOf(customer.test_clock);
  if (!clockId) return Math.floor(fallback.getTime() / 1000);
  const clock = await stripe.testHelpers.testClocks.retrieve(clockId);
  return clock.frozen_time;
}

export function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === 'string' ? value : value.id;
}
