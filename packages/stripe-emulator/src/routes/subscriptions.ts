import type { EmulatorContext } from '../emulator-context';
import { mergeMetadata } from '../metadata';
import { emitEvent, timeFor } from '../emulator-context';
import { cancelSubscription } from '../billing/cancel-subscription';
import { createSubscription } from '../billing/create-subscription';
import { billingModeParam, migrateBillingMode } from '../billing/billing-mode';
import { createDiscounts } from '../billing/discounts';
import { assertPendingUpdateParams, updateSubscriptionItems } from '../billing/update-subscription';
import { paginate } from '../http/list-response';
import { boolean, object, oneOf, required, string, type ObjectOf } from '../http/param-schema';
import { defineRoute, listParams, type Route } from '../http/route';
import { cloneJson, previousAttributes } from '../previous-attributes';
import type { Subscription } from '../resource-types';
import { invalidRequest, parameterMissing } from '../stripe-error';
import { createSubscriptionParams, updateSubscriptionParams } from './subscription-params';

type UpdateParams = ObjectOf<typeof updateSubscriptionParams>;

function requireSubscription(context: EmulatorContext, id: string): Subscription {
  return context.store.require<Subscription>('subscription', id);
}

/** Fields that change without invoicing: cancellation flags, payment method, metadata, discounts. */
function applySimpleFields(
  context: EmulatorContext,
  subscription: Subscription,
  params: UpdateParams,
  now: number,
): void {
  if (params.cancel_at_period_end !== undefined) {
    subscription.cancel_at_period_end = params.cancel_at_period_end;
    // NOTE: as Stripe: canceled_at is the time of the request that scheduled the cancellation (the
    // end is ended_at, set when it happens); resuming clears it.
    subscription.canceled_at = params.cancel_at_period_end ? now : null;
  }
  if (params.cancel_at !== undefined) subscription.cancel_at = params.cancel_at;
  if (params.description !== undefined) subscription.description = params.description;
  if (params.metadata !== undefined) subscription.metadata = mergeMetadata(subscription.metadata, params.metadata);
  if (params.default_payment_method) {
    const paymentMethod = context.store.find('payment_method', params.default_payment_method);
    if (!paymentMethod || paymentMethod.customer !== subscription.customer) {
      throw invalidRequest(
        `The customer does not have a payment method with the ID ${params.default_payment_method}. The payment method must be attached to the customer.`,
        { param: 'default_payment_method' },
      );
    }
  }
  if (params.default_payment_method !== undefined) subscription.default_payment_method = params.default_payment_method;
  if (params.discounts !== undefined)
    subscription.discounts = createDiscounts(
      context,
      params.discounts ?? [],
      { customer: subscription.customer, subscription: subscription.id },
      now,
    );
}

export const subscriptionRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    path: '/v1/subscriptions',
    params: createSubscriptionParams,
    handle: ({ context, params }) => {
      if (!params.customer) throw parameterMissing('customer');
      if (!params.items || params.items.length === 0) throw parameterMissing('items');
      return createSubscription(context, { ...params, customer: params.customer, items: params.items });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/subscriptions/:id',
    params: {},
    handle: ({ context, path }) => requireSubscription(context, path.id ?? ''),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/subscriptions/:id',
    params: updateSubscriptionParams,
    handle: ({ context, params, path }) => {
      const subscription = requireSubscription(context, path.id ?? '');
      const refused = Object.keys(params).find((key) => key !== 'metadata' && key !== 'expand');
      if (subscription.status === 'canceled' && refused) {
        throw invalidRequest('A canceled subscription can only update its cancellation_details and metadata.', {
          param: refused,
        });
      }
      assertPendingUpdateParams(params);
      const now = timeFor(context, subscription.customer);
      if (
        params.items ||
        params.billing_cycle_anchor === 'now' ||
        params.trial_end !== undefined ||
        params.add_invoice_items
      ) {
        updateSubscriptionItems(context, subscription, params, now);
      }
      const before = cloneJson(subscription);
      applySimpleFields(context, subscription, params, now);
      const previous = previousAttributes(before, subscription);
      if (Object.keys(previous).length > 0)
        emitEvent(context, 'customer.subscription.updated', subscription, { previous, at: now });
      return subscription;
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/subscriptions/:id/migrate',
    params: { billing_mode: required(billingModeParam) },
    handle: ({ context, params, path }) => {
      const subscription = requireSubscription(context, path.id ?? '');
      const now = timeFor(context, subscription.customer);
      const before = cloneJson(subscription);
      migrateBillingMode(subscription, params.billing_mode, now);
      emitEvent(context, 'customer.subscription.updated', subscription, {
        previous: previousAttributes(before, subscription),
        at: now,
      });
      return subscription;
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/v1/subscriptions/:id',
    params: {
      invoice_now: boolean(),
      prorate: boolean(),
      cancellation_details: object({ comment: string(), feedback: string() }),
    },
    handle: ({ context, params, path }) => {
      const subscription = requireSubscription(context, path.id ?? '');
      if (subscription.status === 'canceled')
        throw invalidRequest(`No such subscription: '${subscription.id}'`, {
          code: 'resource_missing',
          param: 'id',
          statusCode: 404,
        });
      if (params.cancellation_details)
        subscription.cancellation_details = {
          comment: params.cancellation_details.comment ?? null,
          feedback: params.cancellation_details.feedback ?? null,
          reason: 'cancellation_requested',
        };
      cancelSubscription(context, subscription, timeFor(context, subscription.customer), {
        prorate: params.prorate,
        invoiceNow: params.invoice_now,
      });
      return subscription;
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/subscriptions',
    params: {
      ...listParams,
      customer: string(),
      price: string(),
      test_clock: string(),
      status: oneOf([
        'active',
        'all',
        'canceled',
        'ended',
        'incomplete',
        'incomplete_expired',
        'past_due',
        'paused',
        'trialing',
        'unpaid',
      ]),
    },
    handle: ({ context, params }) =>
      paginate(
        context.store.all<Subscription>(
          'subscription',
          (subscription) =>
            (!params.customer || subscription.customer === params.customer) &&
            (!params.test_clock || subscription.test_clock === params.test_clock) &&
            (!params.price || subscription.items.data.some((item) => item.price.id === params.price)) &&
            (params.status === 'all' ||
              (params.status === undefined
                ? subscription.status !== 'canceled'
                : params.status === 'ended'
                  ? subscription.status === 'canceled'
                  : subscription.status === params.status)),
        ),
        params,
        '/v1/subscriptions',
      ),
  }),
];
