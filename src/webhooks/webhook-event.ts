import type { Stripe } from '../stripe/stripe-client';

export const WEBHOOK_EVENT_STATUSES = ['received', 'processing', 'processed', 'ignored', 'failed', 'dead'] as const;
export type WebhookEventStatus = (typeof WEBHOOK_EVENT_STATUSES)[number];

/** An inbox row as stored (see migrations/1763900400000-Webhooks.ts). */
export interface WebhookEventRow {
  id: string;
  type: string;
  api_version: string | null;
  livemode: boolean;
  created: Date;
  object_id: string | null;
  payload: Stripe.Event;
  status: WebhookEventStatus;
  attempts: number;
  last_error: string | null;
  outcome: string | null;
  received_at: Date;
  processed_at: Date | null;
}

/** An inbox row this worker holds the lease on; only the holder of `claimToken` may finish it. */
export interface ClaimedEvent {
  id: string;
  type: string;
  event: Stripe.Event;
  attempts: number;
  claimToken: string;
}

/** How the operator API shows an event. */
export function webhookEventView(row: WebhookEventRow, withPayload = false) {
  return {
    id: row.id,
    type: row.type,
    api_version: row.api_version,
    livemode: row.livemode,
    created: row.created.toISOString(),
    object_id: row.object_id,
    status: row.status,
    attempts: row.attempts,
    last_error: row.last_error,
    outcome: row.outcome,
    received_at: row.received_at.toISOString(),
    processed_at: row.processed_at?.toISOString() ?? null,
    ...(withPayload ? { payload: row.payload } : {}),
  };
}
