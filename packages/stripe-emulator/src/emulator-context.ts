import type { EmulatorStore } from './store';
import type { Customer, Resource, StripeEvent, TestClock, WebhookEndpoint } from './resource-types';
import { newId } from './ids';
import { cloneJson } from './previous-attributes';
import { renderResource } from './render';
import { fillStripeDefaults } from './stripe-defaults';

export const API_VERSION = '2026-10-28.endive';

/** Everything a route or the billing engine needs for one unit of work. */
export interface EmulatorContext {
  store: EmulatorStore;
  realNow: () => number;
  baseUrl: string;
  request: { id: string | null; idempotency_key: string | null };
  /** Events raised by this unit of work; dispatched only once it commits. */
  outbox: StripeEvent[];
  /** Work to run after this unit commits, in a unit of its own (a test clock advancing). */
  deferred: Array<(context: EmulatorContext) => void>;
}

/** The time a customer lives in: its test clock's frozen time, else the real clock. */
export function timeFor(context: EmulatorContext, customerId: string | null | undefined): number {
  if (!customerId) return context.realNow();
  const customer = context.store.find<Customer>('customer', customerId);
  return clockTime(context, customer?.test_clock ?? null);
}

export function clockTime(context: EmulatorContext, testClockId: string | null): number {
  if (!testClockId) return context.realNow();
  const clock = context.store.find<TestClock>('test_helpers.test_clock', testClockId);
  return clock ? clock.frozen_time : context.realNow();
}

function customerOf(resource: Resource): string | null {
  if (resource.object === 'customer') return resource.id;
  return typeof resource.customer === 'string' ? resource.customer : null;
}

/** Records an event the way Stripe does: a snapshot of the object at that moment. */
export function emitEvent(
  context: EmulatorContext,
  type: string,
  resource: Resource,
  options: { previous?: Record<string, unknown>; at?: number } = {},
): StripeEvent {
  const listening = context.store
    .all<WebhookEndpoint>('webhook_endpoint', (endpoint) => endpoint.status === 'enabled')
    .filter((endpoint) => endpoint.enabled_events.includes('*') || endpoint.enabled_events.includes(type));
  const event: StripeEvent = {
    id: newId('evt'),
    object: 'event',
    api_version: API_VERSION,
    created: options.at ?? timeFor(context, customerOf(resource)),
    data: {
      object: renderResource(context.store, resource),
      ...(options.previous ? { previous_attributes: fillStripeDefaults(cloneJson(options.previous)) } : {}),
    },
    livemode: false,
    pending_webhooks: listening.length,
    request: { ...context.request },
    type,
  };
  context.store.insert(event);
  context.outbox.push(event);
  return event;
}
