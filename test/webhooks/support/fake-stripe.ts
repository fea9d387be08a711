import type { Stripe } from '../../../src/stripe/stripe-client';
import type { StripeObjects } from '../../../src/webhooks/stripe-objects';

const now = () => Math.floor(Date.now() / 1000);
/** One period start for every fixture of a test file, so rebuilding an object gives the same object. */
const PERIOD_START = now() - 3600;

/** An in-memory Stripe for the webhook module's reads: tests set an object's current state, handlers refetch it. */
export class FakeStripe implements StripeObjects {
  readonly subscriptions = new Map<string, Stripe.Subscription>();
  readonly invoices = new Map<string, Stripe.Invoice>();
  readonly charges = new Map<string, Stripe.Charge>();
  readonly sessions = new Map<string, Stripe.Checkout.Session>();
  /** Ids whose reads fail (to exercise retries and dead letters). */
  readonly failing = new Set<string>();
  reads = 0;

  private read<T>(map: Map<string, T>, id: string): Promise<T> {
    this.reads += 1;
    if (this.failing.has(id)) return Promise.reject(new Error(`Stripe is unavailable for ${id}`));
    const found = map.get(id);
    if (!found) return Promise.reject(new Error(`No such object: ${id}`));
    return Promise.resolve(structuredClone(found));
  }

  subscription = (id: string) => this.read(this.subscriptions, id);
  invoice = (id: string) => this.read(this.invoices, id);
  charge = (id: string) => this.read(this.charges, id);
  checkoutSession = (id: string) => this.read(this.sessions, id);
  customerSubscriptions = async (customerId: string) =>
    [...this.subscriptions.values()].filter((s) => s.customer === customerId).map((s) => structuredClone(s));
}

export interface SubscriptionShape {
  id: string;
  customer: string;
  status?: Stripe.Subscription.Status;
  plan?: string;
  interval?: 'month' | 'year';
  quantity?: number;
  cancelAtPeriodEnd?: boolean;
  periodStart?: number;
}

/** A Stripe subscription object as API 2026-10-28 returns it (period on the item). */
export function subscriptionObject(shape: SubscriptionShape): Stripe.Subscription {
  const start = shape.periodStart ?? PERIOD_START;
  const interval = shape.interval ?? 'month';
  const plan = shape.plan ?? 'pro';
  const end = start + (interval === 'year' ? 365 : 30) * 86400;
  const price = {
    id: `price_${plan}_${interval}`,
    object: 'price',
    lookup_key: `tierlift_plan_${plan}_${interval}`,
    metadata: { tierlift_kind: 'plan', tierlift_code: plan, tierlift_interval: interval },
    product: `tierlift_plan_${plan}`,
    recurring: { interval, interval_count: 1 },
    currency: 'usd',
    unit_amount: 1900,
  };
  return {
    id: shape.id,
    object: 'subscription',
    customer: shape.customer,
    currency: 'usd',
    status: shape.status ?? 'active',
    billing_cycle_anchor: start,
    cancel_at_period_end: shape.cancelAtPeriodEnd ?? false,
    canceled_at: shape.status === 'canceled' ? start + 60 : null,
    trial_end: null,
    created: start,
    metadata: {},
    pending_update: null,
    items: {
      object: 'list',
      has_more: false,
      url: '/v1/subscription_items',
      data: [
        {
          id: `si_${shape.id}`,
          object: 'subscription_item',
          current_period_start: start,
          current_period_end: end,
          price,
          quantity: shape.quantity ?? 1,
          subscription: shape.id,
          metadata: {},
        },
      ],
    },
  } as unknown as Stripe.Subscription;
}

export function chargeObject(shape: {
  id: string;
  customer: string;
  amount: number;
  refunded?: number;
}): Stripe.Charge {
  return {
    id: shape.id,
    object: 'charge',
    customer: shape.customer,
    amount: shape.amount,
    amount_captured: shape.amount,
    amount_refunded: shape.refunded ?? 0,
    refunded: (shape.refunded ?? 0) >= shape.amount,
    disputed: false,
    currency: 'usd',
    status: 'succeeded',
    payment_intent: `pi_${shape.id}`,
    created: now(),
    metadata: {},
  } as unknown as Stripe.Charge;
}
