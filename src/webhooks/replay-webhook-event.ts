import type { DataSource } from 'typeorm';
import { AppError, conflict, notFound, unprocessable } from '../shared/errors';
import type { ProcessWebhookEvent } from './process-webhook-event';
import type { WebhookEventRow } from './webhook-event';
import { webhookInbox } from './webhook-inbox.repository';

export interface ReplayDeps {
  dataSource: DataSource;
  processEvent: ProcessWebhookEvent;
  /** How long the event workers leave a reset event to the replay (the lease). */
  holdSeconds: number;
}

/**
 * Re-processes one stored event now (an operator's replay). Handlers resync from
 * Stripe's current objects; effects already recorded for the event do not repeat.
 */
export async function replayWebhookEvent(deps: ReplayDeps, eventId: string): Promise<WebhookEventRow> {
  const reset = await webhookInbox.resetForReplay(deps.dataSource.manager, eventId, deps.holdSeconds);
  if (reset === 'missing') throw notFound('Webhook event', 'id');
  if (reset === 'busy')
    throw conflict('event_processing', 'A worker is processing this event right now; try again shortly.');
  await deps.processEvent(eventId);
  const row = await webhookInbox.find(deps.dataSource.manager, eventId);
  if (!row) throw notFound('Webhook event', 'id');
  return row;
}

/** The most events one range replay carries: a longer range is refused, to be split by the operator. */
export const REPLAY_RANGE_MAX = 500;

export interface RangeReplay {
  replayed: string[];
  /** Events a worker held at that moment (replay them again later). */
  busy: string[];
}

/** Replays every stored event received in [from, to), oldest first, one after the other. */
export async function replayWebhookRange(deps: ReplayDeps, range: { from: Date; to: Date }): Promise<RangeReplay> {
  const rows: Array<{ id: string }> = await deps.dataSource.query(
    `SELECT id FROM webhook_events WHERE received_at >= $1 AND received_at < $2
     ORDER BY received_at, id LIMIT ${REPLAY_RANGE_MAX + 1}`,
    [range.from, range.to],
  );
  if (rows.length > REPLAY_RANGE_MAX)
    throw unprocessable(
      'range_too_large',
      `More than ${REPLAY_RANGE_MAX} events were received in this range; replay a shorter one.`,
      'to',
    );
  const result: RangeReplay = { replayed: [], busy: [] };
  for (const { id } of rows) {
    try {
      await replayWebhookEvent(deps, id);
      result.replayed.push(id);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 409) throw error;
      result.busy.push(id);
    }
  }
  return result;
}
