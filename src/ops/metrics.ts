import client from 'prom-client';

export type StripeOutcome = 'ok' | 'client_error' | 'rate_limited' | 'server_error';
export type UsageResult = 'accepted' | 'duplicate' | 'rejected';

export interface Metrics {
  registry: client.Registry;
  observeRequest(route: string, method: string, status: number, seconds: number): void;
  /** One Stripe API call: `operation` is `METHOD /v1/path/:id`. */
  observeStripeCall(operation: string, outcome: StripeOutcome, seconds: number): void;
  countUsageEvents(result: UsageResult, count: number): void;
  countPromptsServed(count: number): void;
}

/** A registry per app instance, so tests can build many apps in one process. */
export function createMetrics(): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'tierlift_' });
  const registers = [registry];
  const duration = new client.Histogram({
    name: 'tierlift_http_request_duration_seconds',
    help: 'HTTP request duration by route and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  const stripe = new client.Histogram({
    name: 'tierlift_stripe_request_duration_seconds',
    help: 'Stripe API calls by operation (method and path pattern) and outcome, with their latency.',
    labelNames: ['operation', 'outcome'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
    registers,
  });
  const usage = new client.Counter({
    name: 'tierlift_usage_events_total',
    help: 'Usage events received on POST /v1/usage: accepted, duplicate (already stored) or rejected.',
    labelNames: ['result'],
    registers,
  });
  const served = new client.Counter({
    name: 'tierlift_prompts_served_total',
    help: 'Prompts answered on GET /v1/prompts.',
    registers,
  });
  // NOTE: every label value at 0 from the start, so rate() and alerts see the series before the first event.
  for (const result of ['accepted', 'duplicate', 'rejected']) usage.inc({ result }, 0);
  const requestChildren = new Map<string, client.Histogram.Internal<'method' | 'route' | 'status'>>();
  return {
    registry,
    observeRequest: (route, method, status, seconds) => {
      // NOTE: the labelled child kept per route, method and status (a bounded set: routes are
      // patterns): prom-client otherwise hashes the label object on every request.
      const key = `${method} ${status} ${route}`;
      let child = requestChildren.get(key);
      if (!child) requestChildren.set(key, (child = duration.labels({ method, route, status: String(status) })));
      child.observe(seconds);
    },
    observeStripeCall: (operation, outcome, seconds) => stripe.observe({ operation, outcome }, seconds),
    countUsageEvents: (result, count) => usage.inc({ result }, count),
    countPromptsServed: (count) => served.inc(count),
  };
}
