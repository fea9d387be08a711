import type { EmulatorContext } from '../emulator-context';
import { emitEvent } from '../emulator-context';
import { newId } from '../ids';
import type { Price, Resource, Subscription } from '../resource-types';
import { addInterval } from '../money/calendar';
import { invalidRequest } from '../stripe-error';
import { cancelSubscription } from './cancel-subscription';
import { applyItemPlans, itemPlansOf, newItemId, subscriptionPeriod } from './subscription-items';

export interface SchedulePhase {
  start_date: number;
  end_date: number;
  items: Array<{ price: string; quantity: number; metadata: Record<string, string>; discounts: []; tax_rates: [] }>;
  proration_behavior: 'create_prorations' | 'always_invoice' | 'none';
  currency: string;
  metadata: Record<string, string>;
  trial_end: null;
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
  items: Array<{ price?: string; quantity?: number; metadata?: Record<string, string> }>;
  start_date?: number | 'now';
  end_date?: number | 'now';
  duration?: { interval: 'day' | 'week' | 'month' | 'year'; interval_count?: number };
  proration_behavior?: SchedulePhase['proration_behavior'];
  metadata?: Record<string, string>;
}

function phaseFromSubscription(subscription: Subscription): SchedulePhase {
  const period = subscriptionPeriod(subscription);
  return {
    start_date: period.start,
    end_date: period.end,
    items: subscription.items.data.map((item) => ({
      price: item.price.id,
      quantity: item.quantity,
      metadata: item.metadata,
      discounts: [],
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
    discounts: [],
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
        discounts: [] as [],
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
      start_date: start,
      end_date: end,
      items,
      proration_behavior: request.proration_behavior ?? 'create_prorations',
      metadata: request.metadata ?? {},
    };
  });
  const current = schedule.phases[0];
  schedule.current_phase = current ? { start_date: current.start_date, end_date: current.end_date } : null;
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
    const plans = next.items.map((item, index) => ({
      id: oldPlans[index]?.id ?? newItemId(),
      priceId: item.price,
      quantity: item.quantity,
      metadata: item.metadata,
      discounts: [],
    }));
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
