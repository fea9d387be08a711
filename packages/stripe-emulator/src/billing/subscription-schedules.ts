import type { EmulatorContext } from '../emulator-context';
import { emitEvent } from '../emulator-context';
import { newId } from '../ids';
import type { Price, Resource, Subscription } from '../resource-types';
import { addInterval } from '../money/calendar';
import { invalidRequest } from '../stripe-error';
import { cancelSubscription } from './cancel-subscription';
import { createDiscounts, type DiscountRequest } from './discounts';
import { applyItemPlans, itemPlansOf, newItemId, subscriptionPeriod } from './subscription-items';

/** A phase item's discount as Stripe shows it: an existing discount (`di_...`), or a coupon or promotion code to apply. */
export interface PhaseDiscount {
  coupon: string | null;
  discount: string | null;
  promotion_code: string | null;
}

export interface PhaseItem {
  price: string;
  quantity: number;
  metadata: Record<string, string>;
  discounts: PhaseDiscount[];
  tax_rates: [];
}

export interface SchedulePhase {
  start_date: number;
  end_date: number;
  items: PhaseItem[];
  proration_behavior: 'create_prorations' | 'always_invoice' | 'none';
  currency: string;
  metadata: Record<string, string>;
  trial_end: null;
  /** Subscription-level discounts while the phase runs. */
  discounts: PhaseDiscount[];
  [field: string]: unknown;
}

export interface SubscriptionSchedule extends Resource {
  object: 'subscription_schedule';
  customer: string;
  subscription: string | null;
  status: 'not_started' | 'active' | 'completed' | 'released' | 'canceled';
  end_behavior: 'release' | 'cancel';
  phases: SchedulePhase[];
  current_phase: { start_date: number; end_date: number } | null;
}

export interface PhaseRequest {
  items: Array<{
    price?: string;
    quantity?: number;
    metadata?: Record<string, string>;
    discounts?: DiscountRequest[] | null;
  }>;
  start_date?: number | 'now';
  end_date?: number | 'now';
  duration?: { interval: 'day' | 'week' | 'month' | 'year'; interval_count?: number };
  proration_behavior?: SchedulePhase['proration_behavior'];
  metadata?: Record<string, string>;
  discounts?: DiscountRequest[] | null;
}

function phaseFromSubscription(subscription: Subscription): SchedulePhase {
  const period = subscriptionPeriod(subscription);
  return {
    start_date: period.start,
    end_date: period.end,
    // NOTE: from_subscription copies each item with its discounts into phase 0
    // (docs.stripe.com/billing/subscriptions/subscription-schedules, STRIPE.md).
    items: subscription.items.data.map((item) => ({
      price: item.price.id,
      quantity: item.quantity,
      metadata: item.metadata,
      discounts: item.discounts.map((discount) => ({ coupon: null, discount, promotion_code: null })),
      tax_rates: [],
    })),
    proration_behavior: 'create_prorations',
    currency: subscription.currency,
    metadata: {},
    trial_end: null,
    add_invoice_items: [],
    billing_cycle_anchor: null,
    collection_method: null,
    default_payment_method: null,
    description: null,
    discounts: subscription.discounts.map((discount) => ({ coupon: null, discount, promotion_code: null })),
    invoice_settings: null,
  };
}

/** `from_subscription`: one phase mirroring the current period; the schedule takes the subscription over. */
export function createScheduleFromSubscription(
  context: EmulatorContext,
  subscription: Subscription,
  at: number,
): SubscriptionSchedule {
  if (subscription.schedule)
    throw invalidRequest(
      `You cannot migrate a subscription that is already attached to a schedule: \`${subscription.schedule}\`.`,
      { param: 'from_subscription' },
    );
  const phase = phaseFromSubscription(subscription);
  const schedule: SubscriptionSchedule = {
    id: newId('sub_sched'),
    object: 'subscription_schedule',
    application: null,
    canceled_at: null,
    completed_at: null,
    created: at,
    current_phase: { start_date: phase.start_date, end_date: phase.end_date },
    customer: subscription.customer,
    default_settings: {
      billing_cycle_anchor: 'automatic',
      collection_method: 'charge_automatically',
      default_payment_method: null,
      description: null,
    },
    end_behavior: 'release',
    livemode: false,
    metadata: {},
    phases: [phase],
    released_at: null,
    released_subscription: null,
    status: 'active',
    subscription: subscription.id,
    test_clock: subscription.test_clock,
  };
  context.store.insert(schedule);
  subscription.schedule = schedule.id;
  emitEvent(context, 'subscription_schedule.created', schedule, { at });
  return schedule;
}

/** Replaces the phases; NOTE: Stripe requires the current phase to keep its start date. */
export function setPhases(
  context: EmulatorContext,
  schedule: SubscriptionSchedule,
  requests: PhaseRequest[],
  subscription: Subscription,
  at: number,
): void {
  let cursor = schedule.phases[0]?.start_date ?? at;
  schedule.phases = requests.map((request, index) => {
    const start =
      typeof request.start_date === 'number' ? request.start_date : request.start_date === 'now' ? at : cursor;
    if (index === 0 && schedule.current_phase && start !== schedule.current_phase.start_date) {
      throw invalidRequest('You can not modify the start date of the current phase.', {
        param: 'phases[0][start_date]',
      });
    }
    const items = request.items.map((item, itemIndex) => {
      if (!item.price)
        throw invalidRequest('Missing required param: price.', {
          param: `phases[${index}][items][${itemIndex}][price]`,
          code: 'parameter_missing',
        });
      context.store.require<Price>('price', item.price, `phases[${index}][items][${itemIndex}][price]`);
      return {
        price: item.price,
        quantity: item.quantity ?? 1,
        metadata: item.metadata ?? {},
        discounts: (item.discounts ?? []).map((entry, discountIndex) =>
          phaseDiscount(
            context,
            subscription,
            entry,
            `phases[${index}][items][${itemIndex}][discounts][${discountIndex}]`,
          ),
        ),
        tax_rates: [] as [],
      };
    });
    const recurring = context.store.require<Price>('price', items[0]?.price ?? '').recurring ?? {
      interval: 'month' as const,
      interval_count: 1,
    };
    const duration = request.duration
      ? { interval: request.duration.interval, count: request.duration.interval_count ?? 1 }
      : { interval: recurring.interval, count: recurring.interval_count };
    const end =
      typeof request.end_date === 'number' ? request.end_date : addInterval(start, duration.interval, duration.count);
    cursor = end;
    return {
      ...phaseFromSubscription(subscription),
      // NOTE: a phase's own discounts apply to the whole subscription while it runs; a phase sent
      // without them has none (Stripe removes what a re-sent phase leaves out).
      discounts: (request.discounts ?? []).map((entry, discountIndex) =>
        phaseDiscount(context, subscription, entry, `phases[${index}][discounts][${discountIndex}]`),
      ),
      start_date: start,
      end_date: end,
      items,
      proration_behavior: request.proration_behavior ?? 'create_prorations',
      metadata: request.metadata ?? {},
    };
  });
  const current = schedule.phases[0];
  schedule.current_phase = current ? { start_date: current.start_date, end_date: current.end_date } : null;
  if (current) {
    subscription.discounts = discountIdsOf(context, subscription, current.discounts, at);
    current.discounts = subscription.discounts.map((discount) => ({ coupon: null, discount, promotion_code: null }));
    applyPhaseDiscounts(context, subscription, current, at);
  }
}

function phaseDiscount(
  context: EmulatorContext,
  subscription: Subscription,
  request: DiscountRequest,
  param: string,
): PhaseDiscount {
  if (request.discount) {
    const discount = context.store.require<Resource>('discount', request.discount, `${param}[discount]`);
    if (discount.subscription !== subscription.id && discount.customer !== subscription.customer)
      throw invalidRequest(`The discount ${request.discount} does not belong to this subscription.`, {
        param: `${param}[discount]`,
      });
  }
  if (request.coupon) context.store.require<Resource>('coupon', request.coupon, `${param}[coupon]`);
  if (request.promotion_code)
    context.store.require<Resource>('promotion_code', request.promotion_code, `${param}[promotion_code]`);
  return {
    coupon: request.coupon ?? null,
    discount: request.discount ?? null,
    promotion_code: request.promotion_code ?? null,
  };
}

/** The `di_...` ids a phase item's discounts stand for: existing ones kept, coupons and codes applied. */
function discountIdsOf(
  context: EmulatorContext,
  subscription: Subscription,
  discounts: PhaseDiscount[],
  at: number,
): string[] {
  return discounts.flatMap((entry) =>
    entry.discount
      ? [entry.discount]
      : createDiscounts(
          context,
          [
            {
              ...(entry.coupon ? { coupon: entry.coupon } : {}),
              ...(entry.promotion_code ? { promotion_code: entry.promotion_code } : {}),
            },
          ],
          { customer: subscription.customer, subscription: subscription.id },
          at,
        ),
  );
}

/**
 * The current phase's item discounts are the subscription items' discounts: a phase sent back
 * without them removes them (STRIPE.md: "phases sent back must carry those discounts, or they are
 * removed"). Items are matched by price. The resolved ids are written back into the phase.
 */
function applyPhaseDiscounts(
  context: EmulatorContext,
  subscription: Subscription,
  phase: SchedulePhase,
  at: number,
): void {
  const plans = itemPlansOf(subscription);
  let changed = false;
  for (const phaseItem of phase.items) {
    const plan = plans.find((entry) => entry.priceId === phaseItem.price);
    if (!plan) continue;
    const ids = discountIdsOf(context, subscription, phaseItem.discounts, at);
    phaseItem.discounts = ids.map((discount) => ({ coupon: null, discount, promotion_code: null }));
    if (JSON.stringify(ids) !== JSON.stringify(plan.discounts)) {
      plan.discounts = ids;
      changed = true;
    }
  }
  if (changed) applyItemPlans(context, subscription, plans, subscriptionPeriod(subscription), at);
}

export function releaseSchedule(context: EmulatorContext, schedule: SubscriptionSchedule, at: number): void {
  const subscription = schedule.subscription
    ? context.store.find<Subscription>('subscription', schedule.subscription)
    : undefined;
  if (subscription) subscription.schedule = null;
  Object.assign(schedule, {
    status: 'released',
    released_at: at,
    released_subscription: schedule.subscription,
    subscription: null,
    current_phase: null,
  });
  emitEvent(context, 'subscription_schedule.released', schedule, { at });
}

export function cancelSchedule(context: EmulatorContext, schedule: SubscriptionSchedule, at: number): void {
  const subscription = schedule.subscription
    ? context.store.find<Subscription>('subscription', schedule.subscription)
    : undefined;
  Object.assign(schedule, { status: 'canceled', canceled_at: at, current_phase: null });
  if (subscription) cancelSubscription(context, subscription, at);
  emitEvent(context, 'subscription_schedule.canceled', schedule, { at });
}

/**
 * At a period boundary: switch to the phase starting now (no proration, the renewal
 * invoices the new price), or end the schedule when its last phase is over.
 */
export function transitionScheduleAt(context: EmulatorContext, subscription: Subscription, at: number): void {
  const schedule = subscription.schedule
    ? context.store.find<SubscriptionSchedule>('subscription_schedule', subscription.schedule)
    : undefined;
  if (!schedule || schedule.status !== 'active') return;
  const next = schedule.phases.find(
    (phase) => phase.start_date <= at && at < phase.end_date && phase.start_date !== schedule.current_phase?.start_date,
  );
  if (next) {
    const oldPlans = itemPlansOf(subscription);
    // NOTE: each item of the new phase takes that phase's item discounts (a `discount` id carries
    // an existing one over; a coupon is applied now).
    const plans = next.items.map((item, index) => ({
      id: oldPlans[index]?.id ?? newItemId(),
      priceId: item.price,
      quantity: item.quantity,
      metadata: item.metadata,
      discounts: discountIdsOf(context, subscription, item.discounts ?? [], at),
    }));
    subscription.discounts = discountIdsOf(context, subscription, next.discounts, at);
    applyItemPlans(context, subscription, plans, subscriptionPeriod(subscription), at);
    schedule.current_phase = { start_date: next.start_date, end_date: next.end_date };
    emitEvent(context, 'subscription_schedule.updated', schedule, { at });
    return;
  }
  const last = schedule.phases[schedule.phases.length - 1];
  if (last && at >= last.end_date) {
    if (schedule.end_behavior === 'cancel') cancelSchedule(context, schedule, at);
    else releaseSchedule(context, schedule, at);
  }
}
