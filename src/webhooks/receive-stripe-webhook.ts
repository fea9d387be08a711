import type { DataSource, EntityManager } from 'typeorm';
import { WEBHOOK_TOLERANCE_SECONDS } from '../stripe/stripe-client';
import { badRequest } from '../shared/errors';
import { parseStripeEvent } from './parse-stripe-event';
import { parseSignatureHeader, verifyStripeSignature } from './verify-stripe-signature';
import { webhookInbox } from './webhook-inbox.repository';
import type { JobDatabase } from './webhook-queue';

export interface ReceiverDeps {
  dataSource: DataSource;
  webhookSecret: string;
  /** Queues the event's job through `db`, the inbox insert's own transaction. */
  enqueue(eventId: string, db: JobDatabase): Promise<void>;
  /** Wakes the queue's worker once the job is committed. */
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

/** pg-boss's statements run on the caller's transaction. */
function jobDatabaseOf(manager: EntityManager): JobDatabase {
  return { executeSql: async (text, values) => ({ rows: await manager.query(text, values) }) };
}

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
    // NOTE: the inbox row and its job commit together (one commit, one WAL flush, per delivery): a
    // failure of either stores nothing and answers 5xx, and Stripe delivers again later. Without a
    // running queue the job is not written and the sweep queues the row when the queue starts.
    const stored = await deps.dataSource.transaction(async (manager) => {
      const inserted = await webhookInbox.insert(manager, event, rawBody.toString('utf8'));
      if (inserted) await deps.enqueue(event.id, jobDatabaseOf(manager));
      return inserted;
    });
    if (stored) deps.wake();
    return { eventId: event.id, stored };
  };
}
