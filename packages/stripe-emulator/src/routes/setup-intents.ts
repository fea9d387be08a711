import type { SetupIntent } from '../billing/setup-intents';
import { defineRoute, type Route } from '../http/route';

/** `GET /v1/setup_intents/{id}`: what a setup-mode Checkout Session saved (its `payment_method`). */
export const setupIntentRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    path: '/v1/setup_intents/:id',
    params: {},
    handle: ({ context, path }) => context.store.require<SetupIntent>('setup_intent', path.id ?? '', 'intent'),
  }),
];
