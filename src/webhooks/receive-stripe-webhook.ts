import type { DataSource } from 'typeorm';
import { constructWebhookEvent } from '../stripe/stripe-client';
import { badRequest } from '../shared/errors';
import type { Logger } from '../shared/logger';
import { webhookInbox } from './webhook-inbox.repository';

export interface ReceiverDeps {
  dataSource: DataSource;
  webhookSecret: string;
  enqueue(eventId: string): Promise<void>;
  logger: Logger;
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
    if (!signature)
      throw badRequest('missing_signature', 'The Stripe-Signature header is missing.', 'Stripe-Signature');
    let event;
    try {
      // NOTE: the signature covers the exact bytes; any re-serialisation (a JSON parser's) breaks it, as it should.
      event = constructWebhookEvent(rawBody, signature, deps.webhookSecret);
    } catch {
      throw badRequest(
        'invalid_signature',
        'The Stripe-Signature header does not match the payload, or its timestamp is outside the tolerance.',
        'Stripe-Signature',
      );
    }
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
