import type { StripeClient } from '../stripe/stripe-client';
import type { Metrics, StripeOutcome } from './metrics';

/** What the SDK emits after every response (stripe-node's documented `response` event). */
interface StripeResponseEvent {
  method?: string;
  path?: string;
  status?: number;
  /** Milliseconds. */
  elapsed: number;
}

/**
 * `/v1/subscriptions/sub_1Mx…` → `/v1/subscriptions/:id`: resource names are lowercase words, ids
 * carry digits or capitals; the raw path would make a label value per object.
 */
export function stripeOperation(method: string | undefined, path: string | undefined): string {
  const pattern = (path ?? 'unknown')
    .split('?')[0]!
    .split('/')
    .map((segment) => (/[0-9A-Z]/.test(segment) && segment !== 'v1' && segment !== 'v2' ? ':id' : segment))
    .join('/');
  return `${(method ?? 'GET').toUpperCase()} ${pattern}`;
}

export function stripeOutcome(status: number | undefined): StripeOutcome {
  if (status === undefined || status >= 500) return 'server_error';
  if (status === 429) return 'rate_limited';
  return status >= 400 ? 'client_error' : 'ok';
}

/**
 * Times every Stripe call made through this client. NOTE: the SDK's own `response` event, not a
 * wrapped HTTP client: it fires once per answer Stripe gave, retries included, with the SDK's
 * own timing; a call that never got an answer (network error) has no event and shows in the logs.
 */
export function watchStripeCalls(stripe: StripeClient, metrics: Metrics): void {
  stripe.on('response', (event: StripeResponseEvent) =>
    metrics.observeStripeCall(
      stripeOperation(event.method, event.path),
      stripeOutcome(event.status),
      event.elapsed / 1000,
    ),
  );
}
