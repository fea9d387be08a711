import crypto from 'node:crypto';
import type { OutboundEventType } from './outbound-event-types';

/**
 * Anything that runs SQL inside the caller's transaction: a pg `PoolClient`, a TypeORM
 * `EntityManager` or `QueryRunner`. The outbox row must be written through the same connection
 * (and transaction) as the state change it reports.
 */
export interface SqlRunner {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

export interface OutboundEventInput {
  type: OutboundEventType;
  /** The account the event is about; null for events about no single account (experiments). */
  accountId: string | null;
  /** The payload, JSON-serialisable; money as integer minor units beside its currency. */
  data: Record<string, unknown>;
  /**
   * One event per cause: a second emission with the same key is dropped (returns null).
   * E.g. `checkout.abandoned:<session id>`, `change.applied:<operation id>`.
   */
  dedupeKey?: string;
  /** When it happened; the database's clock when omitted. */
  occurredAt?: Date;
}

export function newOutboundEventId(): string {
  return `evt_${crypto.randomUUID().replaceAll('-', '')}`;
}

const INSERT_SQL = `
  INSERT INTO outbound_events (id, type, account_id, data, dedupe_key, occurred_at)
  VALUES ($1, $2, $3, $4::jsonb, $5, COALESCE($6::timestamptz, now()))
  ON CONFLICT (dedupe_key) DO NOTHING
  RETURNING id`;

/**
 * Writes an event to the outbox through the caller's connection, inside its transaction (the
 * transactional outbox: the event exists exactly when the change it reports was committed).
 * Returns the event id, or null when an event with the same dedupe key already exists.
 */
export async function recordOutboundEvent(sql: SqlRunner, event: OutboundEventInput): Promise<string | null> {
  const id = newOutboundEventId();
  const result = await sql.query(INSERT_SQL, [
    id,
    event.type,
    event.accountId,
    JSON.stringify(event.data),
    event.dedupeKey ?? null,
    event.occurredAt?.toISOString() ?? null,
  ]);
  const rows = Array.isArray(result) ? result : (result as { rows?: unknown[] }).rows;
  return rows && rows.length > 0 ? id : null;
}
