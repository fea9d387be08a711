import type { Stripe } from '../stripe/stripe-client';
import { WEBHOOK_TOLERANCE_SECONDS } from '../stripe/stripe-client';
import { badRequest } from '../shared/errors';
import { parseStripeEvent } from './parse-stripe-event';
import { parseSignatureHeader, verifyStripeSignature } from './verify-stripe-signature';

export interface ReceiverDeps {
  webhookSecret: string;
  /**
   * Stores the event once in the inbox, which is also its queue (webhook-inbox-queue.ts): one
   * autocommit statement; false when its id was already stored. `json`: the bytes as signed.
   */
  store(event: Stripe.Event, json: string): Promise<boolean>;
  /** Wakes this instance's event worker once a new event is stored. */
  wake(): void;
  /** Unix seconds the signature's timestamp is checked against; the wall clock unless a test says otherwise. */
  nowSeconds?: () => number;
}

export interface Received {
  eventId: string;
  /** False for a repeated delivery of an event already stored. */
  stored: boolean;
}

/** Verifies a Stripe delivery over its raw bytes, stores it once in the inbox and queues it. */
export type ReceiveStripeWebhook = (rawBody: unknown, signature: string | undefined) => Promise<Received>;

export function stripeWebhookReceiver(deps: ReceiverDeps): ReceiveStripeWebhook {
  return async (rawBody, signature) => {
    if (!Buffer.isBuffer(rawBody) || rawBody.length === 0) {
      throw badRequest('invalid_payload', 'Send the event as the raw application/json body Stripe signed.');
    }
    // Cheap checks first: the header, then the HMAC over the raw bytes; the body is parsed only after.
    const header = parseSignatureHeader(signature);
    verifyStripeSignature({
      rawBody,
      header,
      secret: deps.webhookSecret,
      toleranceSeconds: WEBHOOK_TOLERANCE_SECONDS,
      nowSeconds: deps.nowSeconds?.() ?? Math.floor(Date.now() / 1000),
    });
    // NOTE: the signature covers the exact bytes; any re-serialisation (a JSON parser's) breaks it, as it should.
    const { event, json } = parseStripeEvent(rawBody);
    // NOTE: the stored row is the job: one statement, one commit, per delivery. Its failure stores
    // nothing and answers 5xx, and Stripe delivers again later (docs.stripe.com/webhooks, "Retry
    // behavior"); a 200 means stored and queued, whether or not a worker is running.
    const stored = await deps.store(event, json);
    if (stored) deps.wake();
    return { eventId: event.id, stored };
  };
}
