import type { DataSource } from 'typeorm';
import { WEBHOOK_TOLERANCE_SECONDS } from '../stripe/stripe-client';
import { badRequest } from '../shared/errors';
import type { Logger } from '../shared/logger';
import { parseStripeEvent } from './parse-stripe-event';
import { parseSignatureHeader, verifyStripeSignature } from './verify-stripe-signature';
import { webhookInbox } from './webhook-inbox.repository';

export interface ReceiverDeps {
  dataSource: DataSource;
  webhookSecret: string;
  enqueue(eventId: string): Promise<void>;
  logger: Logger;
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
    const event = parseStripeEvent(rawBody);
    const stored = await webhookInbox.insert(deps.dataSource.manager, event);
    if (stored) {
      // A failed enqueue loses nothing: the row is stored and the sweep queues it.
      await deps
        .enqueue(event.id)
        .catch((error: unknown) =>
          deps.logger.warn('webhook event stored but not queued', { event_id: event.id, error: String(error) }),
        );
    }
    return { eventId: event.id, stored };
  };
}
