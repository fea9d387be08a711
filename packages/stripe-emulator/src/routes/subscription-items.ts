import type { EmulatorContext } from '../emulator-context';
import { timeFor } from '../emulator-context';
import { updateSubscriptionItems } from '../billing/update-subscription';
import { paginate } from '../http/list-response';
import { boolean, integer, metadata, oneOf, required, string } from '../http/param-schema';
import { defineRoute, listParams, type Route } from '../http/route';
import type { Subscription, SubscriptionItem } from '../resource-types';
import { resourceMissing } from '../stripe-error';
import { discountsParam, prorationBehaviorParam } from './subscription-params';

const BASE = '/v1/subscription_items';
const changeParams = {
  proration_behavior: prorationBehaviorParam,
  proration_date: integer(),
  payment_behavior: oneOf(['allow_incomplete', 'default_incomplete', 'error_if_incomplete', 'pending_if_incomplete']),
};

function findItem(context: EmulatorContext, id: string): { subscription: Subscription; item: SubscriptionItem } {
  for (const subscription of context.store.all<Subscription>('subscription')) {
    const item = subscription.items.data.find((candidate) => candidate.id === id);
    if (item) return { subscription, item };
  }
  throw resourceMissing('subscription_item', id, 'item');
}

/** The item after a change, or the one waiting in `pending_update` when payment is pending. */
function resultingItem(
  subscription: Subscription,
  match: (item: SubscriptionItem) => boolean,
): SubscriptionItem | undefined {
  const pending = (subscription.pending_update?.subscription_items ?? []) as SubscriptionItem[];
  return [...subscription.items.data].reverse().find(match) ?? pending.find(match);
}

/** The item endpoints are subscription updates touching one item (Stripe documents them so). */
export const subscriptionItemRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    path: BASE,
    params: {
      ...changeParams,
      subscription: required(string()),
      price: required(string()),
      quantity: integer(),
      metadata: metadata(),
      discounts: discountsParam,
    },
    handle: ({ context, params }) => {
      const subscription = context.store.require<Subscription>('subscription', params.subscription, 'subscription');
      const known = new Set(subscription.items.data.map((item) => item.id));
      updateSubscriptionItems(
        context,
        subscription,
        {
          ...params,
          items: [
            { price: params.price, quantity: params.quantity, metadata: params.metadata, discounts: params.discounts },
          ],
        },
        timeFor(context, subscription.customer),
      );
      return (
        resultingItem(subscription, (item) => !known.has(item.id) && item.price.id === params.price) ?? subscription
      );
    },
  }),
  defineRoute({
    method: 'GET',
    path: `${BASE}/:id`,
    params: {},
    handle: ({ context, path }) => findItem(context, path.id ?? '').item,
  }),
  defineRoute({
    method: 'POST',
    path: `${BASE}/:id`,
    params: {
      ...changeParams,
      price: string(),
      quantity: integer(),
      metadata: metadata(),
      off_session: boolean(),
      discounts: discountsParam,
    },
    handle: ({ context, params, path }) => {
      const { subscription, item } = findItem(context, path.id ?? '');
      updateSubscriptionItems(
        context,
        subscription,
        {
          ...params,
          items: [
            {
              id: item.id,
              price: params.price,
              quantity: params.quantity,
              metadata: params.metadata,
              discounts: params.discounts,
            },
          ],
        },
        timeFor(context, subscription.customer),
      );
      return resultingItem(subscription, (candidate) => candidate.id === item.id) ?? item;
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: `${BASE}/:id`,
    params: { ...changeParams, clear_usage: boolean() },
    handle: ({ context, params, path }) => {
      const { subscription, item } = findItem(context, path.id ?? '');
      updateSubscriptionItems(
        context,
        subscription,
        { ...params, items: [{ id: item.id, deleted: true }] },
        timeFor(context, subscription.customer),
      );
      return { id: item.id, object: 'subscription_item', deleted: true };
    },
  }),
  defineRoute({
    method: 'GET',
    path: BASE,
    params: { ...listParams, subscription: required(string()) },
    handle: ({ context, params }) => {
      const subscription = context.store.require<Subscription>('subscription', params.subscription, 'subscription');
      return paginate([...subscription.items.data], params, `${BASE}?subscription=${subscription.id}`);
    },
  }),
];
