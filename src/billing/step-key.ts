import { stripeKey, type Operation } from './operation-journal';

/**
 * The idempotency key of one Stripe step of an operation. The first run uses the derived key; a
 * resumed run (the journal counts `attempts`) uses a key of its own, derived from that count, never
 * random. NOTE: Stripe saves a 500 under its key once the request began executing and replays it
 * for 24 hours (STRIPE.md; docs.stripe.com/api/idempotent_requests), so re-sending the first key
 * after a 500 could never carry the step forward. So every step sent under a resumed key first asks
 * Stripe whether it already happened (the object, its metadata), and is sent only if it did not.
 */
export function stepKey(operation: Pick<Operation, 'id' | 'attempts'>, step: string): string {
  return operation.attempts > 0 ? stripeKey(operation, `${step}-run${operation.attempts}`) : stripeKey(operation, step);
}
