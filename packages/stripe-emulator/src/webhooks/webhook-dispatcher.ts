import type { EmulatorStore } from '../store';
import type { StripeEvent, WebhookEndpoint } from '../resource-types';
import type { EmulatorLog } from '../emulator-options';
import { signatureHeader } from './webhook-signature';

export interface DeliveryMode {
  /** Extra copies of every delivery (0 = each event once). */
  duplicates: number;
  /** Deliver each batch in random order. */
  shuffle: boolean;
  /** Hold deliveries until flushDeliveries(). */
  paused: boolean;
}

export interface WebhookRetryPolicy {
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface PendingDelivery {
  eventId: string;
  endpointId: string;
  type: string;
}

interface Delivery extends PendingDelivery {
  attempt: number;
}

/**
 * Sends events to webhook endpoints off the request path, signed like Stripe, retrying
 * failures with capped exponential backoff. Tests can pause, duplicate and shuffle.
 */
export class WebhookDispatcher {
  mode: DeliveryMode = { duplicates: 0, shuffle: false, paused: false };
  private pending: Delivery[] = [];
  private inFlight = new Set<Promise<void>>();
  private timers = new Set<NodeJS.Timeout>();
  private closed = false;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: () => EmulatorStore,
    private readonly retry: WebhookRetryPolicy,
    private readonly log: EmulatorLog,
  ) {}

  enqueue(events: StripeEvent[]): void {
    const deliveries = events.flatMap((event) =>
      this.endpointsFor(event.type).map((endpoint) => ({
        eventId: event.id,
        endpointId: endpoint.id,
        type: event.type,
        attempt: 1,
      })),
    );
    if (deliveries.length === 0) return;
    if (this.mode.paused) {
      this.pending.push(...deliveries);
      return;
    }
    this.sendBatch(deliveries);
  }

  pendingDeliveries(): PendingDelivery[] {
    return this.pending.map(({ eventId, endpointId, type }) => ({ eventId, endpointId, type }));
  }

  /** Sends everything held back (in random order when shuffling) and waits for the first attempts. */
  async flush(): Promise<void> {
    const deliveries = this.pending;
    this.pending = [];
    this.sendBatch(deliveries);
    await this.idle();
  }

  /** Re-delivers an existing event now, to one endpoint or to every endpoint listening. */
  async deliver(eventId: string, endpointId?: string): Promise<void> {
    const event = this.store().find<StripeEvent>('event', eventId);
    if (!event) throw new Error(`No such event: '${eventId}'`);
    const endpoints = endpointId
      ? this.endpointsFor(event.type).filter((endpoint) => endpoint.id === endpointId)
      : this.endpointsFor(event.type);
    await Promise.all(
      endpoints.map((endpoint) => this.attempt({ eventId, endpointId: endpoint.id, type: event.type, attempt: 1 })),
    );
  }

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  clearPending(): void {
    this.pending = [];
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.idle();
  }

  private endpointsFor(type: string): WebhookEndpoint[] {
    return this.store()
      .all<WebhookEndpoint>('webhook_endpoint', (endpoint) => endpoint.status === 'enabled')
      .filter((endpoint) => endpoint.enabled_events.includes('*') || endpoint.enabled_events.includes(type));
  }

  /**
   * First attempts go out one at a time in emission order (shuffled when asked), after
   * the batches before them; retries run on their own timers, so they can overtake.
   */
  private sendBatch(deliveries: Delivery[]): void {
    const copies = deliveries.flatMap((delivery) =>
      Array.from({ length: 1 + this.mode.duplicates }, () => ({ ...delivery })),
    );
    if (this.mode.shuffle) shuffleInPlace(copies);
    this.queue = this.queue
      .then(async () => {
        for (const delivery of copies) await this.attempt(delivery);
      })
      .catch((error: unknown) => this.log('error', 'webhook queue failed', { error: String(error) }));
    this.track(this.queue);
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async attempt(delivery: Delivery): Promise<void> {
    if (this.closed) return;
    const store = this.store();
    const event = store.find<StripeEvent>('event', delivery.eventId);
    const endpoint = store.find<WebhookEndpoint>('webhook_endpoint', delivery.endpointId);
    if (!event || !endpoint || !endpoint.secret) return;
    const payload = JSON.stringify(event, null, 2);
    let ok = false;
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'Stripe-Signature': signatureHeader(payload, endpoint.secret, Math.floor(Date.now() / 1000)),
        },
        body: payload,
        signal: AbortSignal.timeout(10_000),
      });
      ok = response.ok;
      await response.arrayBuffer().catch(() => undefined);
      this.log('debug', 'webhook delivered', {
        eventId: event.id,
        type: event.type,
        url: endpoint.url,
        status: response.status,
        attempt: delivery.attempt,
      });
    } catch (error) {
      this.log('warn', 'webhook delivery failed', {
        eventId: event.id,
        url: endpoint.url,
        attempt: delivery.attempt,
        error: String(error),
      });
    }
    this.recordOutcome(event, ok);
    if (!ok && delivery.attempt < this.retry.maxAttempts && !this.closed) this.scheduleRetry(delivery);
  }

  private recordOutcome(event: StripeEvent, ok: boolean): void {
    const failed = this.store().internal.failedEventIds;
    if (ok) {
      event.pending_webhooks = Math.max(0, event.pending_webhooks - 1);
      delete failed[event.id];
    } else {
      failed[event.id] = true;
    }
  }

  private scheduleRetry(delivery: Delivery): void {
    const delay = Math.min(this.retry.initialDelayMs * 2 ** (delivery.attempt - 1), this.retry.maxDelayMs);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.track(this.attempt({ ...delivery, attempt: delivery.attempt + 1 }));
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }
}

function shuffleInPlace<T>(items: T[]): void {
  for (let index = items.length - 1; index > 0; index -= 1) {
    const other = Math.floor(Math.random() * (index + 1));
    [items[index], items[other]] = [items[other] as T, items[index] as T];
  }
}
