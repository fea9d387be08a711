import type { EmulatorContext } from '../emulator-context';
import { mergeMetadata } from '../metadata';
import { emitEvent, timeFor } from '../emulator-context';
import { createSubscription } from '../billing/create-subscription';
import {
  cancelSchedule,
  createScheduleFromSubscription,
  releaseSchedule,
  setPhases,
  type SubscriptionSchedule,
} from '../billing/subscription-schedules';
import { paginate } from '../http/list-response';
import {
  array,
  boolean,
  emptyable,
  integer,
  integerOr,
  metadata,
  object,
  oneOf,
  required,
  string,
} from '../http/param-schema';
import { defineRoute, listParams, type Route } from '../http/route';
import type { Metadata, Subscription } from '../resource-types';
import { invalidRequest, parameterMissing } from '../stripe-error';
import { billingModeOf, billingModeParam } from '../billing/billing-mode';
import { discountsParam } from './subscription-params';

const phaseParams = {
  items: required(
    array(object({ price: string(), quantity: integer(), metadata: metadata(), discounts: discountsParam })),
  ),
  end_date: integerOr(['now']),
  duration: object({ interval: required(oneOf(['day', 'week', 'month', 'year'])), interval_count: integer() }),
  proration_behavior: oneOf(['create_prorations', 'always_invoice', 'none']),
  metadata: metadata(),
  currency: string(),
  default_payment_method: string(),
  description: emptyable(string()),
  /** The subscription-level discounts while the phase runs (none given: none; docs.stripe.com/api/subscription_schedules/update). */
  discounts: discountsParam,
};

function requireSchedule(context: EmulatorContext, id: string): SubscriptionSchedule {
  return context.store.require<SubscriptionSchedule>('subscription_schedule', id, 'schedule', 'subscription schedule');
}

function subscriptionOf(context: EmulatorContext, schedule: SubscriptionSchedule): Subscription {
  if (!schedule.subscription)
    throw invalidRequest(`You cannot update a subscription schedule that is ${schedule.status}.`, {
      param: 'schedule',
    });
  return context.store.require<Subscription>('subscription', schedule.subscription);
}

export const subscriptionScheduleRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    path: '/v1/subscription_schedules',
    params: {
      from_subscription: string(),
      customer: string(),
      start_date: integerOr(['now']),
      end_behavior: oneOf(['release', 'cancel']),
      phases: array(object(phaseParams)),
      metadata: metadata(),
      billing_mode: billingModeParam,
    },
    handle: ({ context, params }) => {
      if (params.from_subscription && params.phases)
        throw invalidRequest('You cannot set `phases` if `from_subscription` is set.', { param: 'phases' });
      let subscription: Subscription;
      if (params.from_subscription) {
        subscription = context.store.require<Subscription>(
          'subscription',
          params.from_subscription,
          'from_subscription',
        );
      } else {
        if (!params.customer) throw parameterMissing('customer');
        const first = params.phases?.[0];
        if (!first) throw parameterMissing('phases');
        if (params.start_date !== undefined && params.start_date !== 'now')
          throw invalidRequest('The emulator only starts schedules now (start_date=now).', { param: 'start_date' });
        subscription = createSubscription(context, {
          customer: params.customer,
          items: first.items,
          default_payment_method: first.default_payment_method,
          currency: first.currency,
          billing_mode: params.billing_mode,
        });
      }
      const now = timeFor(context, subscription.customer);
      if (params.from_subscription && params.billing_mode)
        throw invalidRequest('You cannot set `billing_mode` if `from_subscription` is set.', { param: 'billing_mode' });
      const schedule = createScheduleFromSubscription(context, subscription, now);
      // NOTE: a schedule has the billing mode of its subscription (flexible unless classic was asked).
      schedule.billing_mode = subscription.billing_mode ?? billingModeOf({ type: 'classic' }, now);
      if (params.phases)
        setPhases(
          context,
          schedule,
          params.phases.map((phase, index) => ({
            ...phase,
            ...(index === 0 ? { start_date: schedule.phases[0]?.start_date } : {}),
          })),
          subscription,
          now,
        );
      if (params.end_behavior) schedule.end_behavior = params.end_behavior;
      if (params.metadata) schedule.metadata = params.metadata;
      return schedule;
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/subscription_schedules/:id',
    params: {},
    handle: ({ context, path }) => requireSchedule(context, path.id ?? ''),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/subscription_schedules/:id',
    params: {
      phases: array(object({ ...phaseParams, start_date: integerOr(['now']) })),
      end_behavior: oneOf(['release', 'cancel']),
      proration_behavior: oneOf(['create_prorations', 'always_invoice', 'none']),
      metadata: emptyable(metadata()),
    },
    handle: ({ context, params, path }) => {
      const schedule = requireSchedule(context, path.id ?? '');
      if (schedule.status !== 'active' && schedule.status !== 'not_started')
        throw invalidRequest(`You cannot update a subscription schedule that is ${schedule.status}.`);
      const subscription = subscriptionOf(context, schedule);
      const now = timeFor(context, subscription.customer);
      if (params.phases) setPhases(context, schedule, params.phases, subscription, now);
      if (params.end_behavior) schedule.end_behavior = params.end_behavior;
      if (params.metadata !== undefined)
        schedule.metadata = mergeMetadata(schedule.metadata as Metadata, params.metadata);
      emitEvent(context, 'subscription_schedule.updated', schedule, { at: now });
      return schedule;
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/subscription_schedules/:id/release',
    params: { preserve_cancel_date: boolean() },
    handle: ({ context, path }) => {
      const schedule = requireSchedule(context, path.id ?? '');
      if (schedule.status !== 'active' && schedule.status !== 'not_started')
        throw invalidRequest(
          `You cannot release a subscription schedule that is currently in the \`${schedule.status}\` status.`,
        );
      releaseSchedule(context, schedule, timeFor(context, schedule.customer));
      return schedule;
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/subscription_schedules/:id/cancel',
    params: { invoice_now: boolean(), prorate: boolean() },
    handle: ({ context, path }) => {
      const schedule = requireSchedule(context, path.id ?? '');
      if (schedule.status !== 'active' && schedule.status !== 'not_started')
        throw invalidRequest(
          `You cannot cancel a subscription schedule that is currently in the \`${schedule.status}\` status.`,
        );
      cancelSchedule(context, schedule, timeFor(context, schedule.customer));
      return schedule;
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/subscription_schedules',
    params: { ...listParams, customer: string() },
    handle: ({ context, params }) =>
      paginate(
        context.store.all<SubscriptionSchedule>(
          'subscription_schedule',
          (schedule) => !params.customer || schedule.customer === params.customer,
        ),
        params,
        '/v1/subscription_schedules',
      ),
  }),
];
