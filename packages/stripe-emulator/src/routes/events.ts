import { paginate } from '../http/list-response';
import { array, boolean, inRange, integerOrRange, string } from '../http/param-schema';
import { defineRoute, listParams, type Route } from '../http/route';
import type { StripeEvent } from '../resource-types';

function typeMatches(pattern: string, type: string): boolean {
  return pattern.endsWith('*') ? type.startsWith(pattern.slice(0, -1)) : pattern === type;
}

/** Events: retrieve, and list by type, creation time and delivery success. */
export const eventRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    path: '/v1/events/:id',
    params: {},
    handle: ({ context, path }) => context.store.require<StripeEvent>('event', path.id ?? '', 'id', 'event'),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/events',
    params: {
      ...listParams,
      type: string(),
      types: array(string()),
      created: integerOrRange(),
      delivery_success: boolean(),
    },
    handle: ({ context, params }) => {
      const failed = context.store.internal.failedEventIds;
      const events = context.store.all<StripeEvent>(
        'event',
        (event) =>
          (!params.type || typeMatches(params.type, event.type)) &&
          (!params.types || params.types.some((type) => typeMatches(type, event.type))) &&
          inRange(event.created, params.created) &&
          (params.delivery_success === undefined || params.delivery_success === !failed[event.id]),
      );
      return paginate(events, params, '/v1/events');
    },
  }),
];
