import type { DataSource } from 'typeorm';
import { conflict, notFound } from '../shared/errors';
import type { ProcessWebhookEvent } from './process-webhook-event';
import type { WebhookEventRow } from './webhook-event';
import { webhookInbox } from './webhook-inbox.repository';

/**
 * Re-processes one stored event now (an operator's replay). Handlers resync from
 * Stripe's current objects; effects already recorded for the event do not repeat.
 */
export async function replayWebhookEvent(
  deps: { dataSource: DataSource; processEvent: ProcessWebhookEvent },
  eventId: string,
): Promise<WebhookEventRow> {
  const reset = await webhookInbox.resetForReplay(deps.dataSource.manager, eventId);
  if (reset === 'missing') throw notFound('Webhook event', 'id');
  if (reset === 'busy')
    throw conflict('event_processing', 'A worker is processing this event right now; try again shortly.');
  await deps.processEvent(eventId);
  const row = await webhookInbox.find(deps.dataSource.manager, eventId);
  if (!row) throw notFound('Webhook event', 'id');
  return row;
}
