import { paginate } from '../http/list-response';
import { mergeMetadata } from '../metadata';
import { array, boolean, emptyable, metadata, required, string } from '../http/param-schema';
import { defineRoute, listParams, type Route } from '../http/route';
import { newId, newSecret } from '../ids';
import { renderResource } from '../render';
import type { Metadata, WebhookEndpoint } from '../resource-types';
import { API_VERSION } from '../emulator-context';

/** Webhook endpoints; the signing secret is shown only on create. */
export const webhookEndpointRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    path: '/v1/webhook_endpoints',
    params: {
      url: required(string()),
      enabled_events: required(array(string())),
      description: string(),
      metadata: metadata(),
      api_version: string(),
      connect: boolean(),
    },
    handle: ({ context, params }) => {
      const endpoint: WebhookEndpoint = {
        id: newId('we'),
        object: 'webhook_endpoint',
        api_version: params.api_version ?? API_VERSION,
        application: null,
        created: context.realNow(),
        description: params.description ?? null,
        enabled_events: params.enabled_events,
        livemode: false,
        metadata: params.metadata ?? {},
        secret: newSecret('whsec_'),
        status: 'enabled',
        url: params.url,
      };
      context.store.insert(endpoint);
      // NOTE: Stripe reveals the signing secret only in the create response.
      return { ...renderResource(context.store, endpoint), secret: endpoint.secret };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/webhook_endpoints/:id',
    params: {},
    handle: ({ context, path }) =>
      context.store.require<WebhookEndpoint>('webhook_endpoint', path.id ?? '', 'id', 'webhook endpoint'),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/webhook_endpoints/:id',
    params: {
      url: string(),
      enabled_events: array(string()),
      disabled: boolean(),
      description: emptyable(string()),
      metadata: emptyable(metadata()),
    },
    handle: ({ context, params, path }) => {
      const endpoint = context.store.require<WebhookEndpoint>(
        'webhook_endpoint',
        path.id ?? '',
        'id',
        'webhook endpoint',
      );
      if (params.url) endpoint.url = params.url;
      if (params.enabled_events) endpoint.enabled_events = params.enabled_events;
      if (params.disabled !== undefined) endpoint.status = params.disabled ? 'disabled' : 'enabled';
      if (params.description !== undefined) endpoint.description = params.description;
      if (params.metadata !== undefined)
        endpoint.metadata = mergeMetadata(endpoint.metadata as Metadata, params.metadata);
      return endpoint;
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/v1/webhook_endpoints/:id',
    params: {},
    handle: ({ context, path }) => {
      const endpoint = context.store.require<WebhookEndpoint>(
        'webhook_endpoint',
        path.id ?? '',
        'id',
        'webhook endpoint',
      );
      context.store.remove(endpoint.id);
      return { id: endpoint.id, object: 'webhook_endpoint', deleted: true };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/webhook_endpoints',
    params: listParams,
    handle: ({ context, params }) => paginate(context.store.all('webhook_endpoint'), params, '/v1/webhook_endpoints'),
  }),
];
