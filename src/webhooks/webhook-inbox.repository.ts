import crypto from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Stripe } from '../stripe/stripe-client';
import type { ClaimedEvent, WebhookEventRow, WebhookEventStatus } from './webhook-event';

/** The claim was lost (the lease expired and another worker took the event): the work must roll back. */
export class LostClaimError extends Error {
  constructor(eventId: string) {
    super(`the claim on ${eventId} was lost`);
    this.name = 'LostClaimError';
  }
}

const LIST_COLUMNS = `id, type, api_version, livemode, created, object_id, status, attempts, last_error, outcome,
  received_at, processed_at`;

/** The `webhook_events` inbox as the processor and operators see it (storing and batch claims: webhook-inbox-queue.ts). */
export const webhookInbox = {
  /** Takes this event for processing (a replay) unless it is finished or leased by a live worker. */
  async claim(manager: EntityManager, id: string, leaseSeconds: number): Promise<ClaimedEvent | undefined> {
    const token = crypto.randomUUID();
    const rows: unknown[] = await manager.query(
      `UPDATE webhook_events
       SET status = 'processing', attempts = attempts + 1, claim_token = $2,
           locked_until = now() + make_interval(secs => $3), next_attempt_at = now() + make_interval(secs => $3),
           updated_at = now()
       WHERE id = $1
         AND (status IN ('received', 'failed') OR (status = 'processing' AND locked_until < now()))
       RETURNING id, type, payload, attempts`,
      [id, token, leaseSeconds],
    );
    const claimed = firstRow<{ id: string; type: string; payload: Stripe.Event; attempts: number }>(rows);
    if (!claimed) return undefined;
    return {
      id: claimed.id,
      type: claimed.type,
      event: claimed.payload,
      attempts: claimed.attempts,
      claimToken: token,
    };
  },

  /** Marks a claimed event finished; throws LostClaimError when the claim is no longer ours. */
  async finish(
    manager: EntityManager,
    claim: ClaimedEvent,
    status: 'processed' | 'ignored',
    outcome: string | null,
  ): Promise<void> {
    const rows: unknown[] = await manager.query(
      `UPDATE webhook_events
       SET status = $3, outcome = $4, last_error = NULL, claim_token = NULL, locked_until = NULL,
           processed_at = now(), updated_at = now()
       WHERE id = $1 AND claim_token = $2 AND status = 'processing'
       RETURNING id`,
      [claim.id, claim.claimToken, status, outcome],
    );
    if (affected(rows) === 0) throw new LostClaimError(claim.id);
  },

  /** Records a failed attempt: `failed` (due again after `retryDelayMs`) or, after maxAttempts, `dead`. */
  async fail(
    manager: EntityManager,
    claim: ClaimedEvent,
    failure: { error: string; maxAttempts: number; retryDelayMs: number },
  ): Promise<'failed' | 'dead' | undefined> {
    const rows: unknown[] = await manager.query(
      `UPDATE webhook_events
       SET status = CASE WHEN attempts >= $4 THEN 'dead' ELSE 'failed' END,
           next_attempt_at = now() + make_interval(secs => $5::float8 / 1000),
           last_error = left($3, 2000), claim_token = NULL, locked_until = NULL, updated_at = now()
       WHERE id = $1 AND claim_token = $2
       RETURNING status`,
      [claim.id, claim.claimToken, failure.error, failure.maxAttempts, failure.retryDelayMs],
    );
    return firstRow<{ status: 'failed' | 'dead' }>(rows)?.status;
  },

  async find(manager: EntityManager, id: string): Promise<WebhookEventRow | undefined> {
    const rows: WebhookEventRow[] = await manager.query(
      `SELECT ${LIST_COLUMNS}, payload FROM webhook_events WHERE id = $1`,
      [id],
    );
    return rows[0];
  },

  async countByStatus(manager: EntityManager): Promise<Partial<Record<WebhookEventStatus, number>>> {
    const rows: Array<{ status: WebhookEventStatus; n: string }> = await manager.query(
      'SELECT status, count(*) AS n FROM webhook_events GROUP BY status',
    );
    return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
  },

  /** Newest first; `startingAfter` is the last id of the previous page. */
  async list(
    manager: EntityManager,
    query: { status?: WebhookEventStatus; type?: string; limit: number; startingAfter?: string },
  ): Promise<{ rows: WebhookEventRow[]; hasMore: boolean }> {
    const rows: WebhookEventRow[] = await manager.query(
      `SELECT ${LIST_COLUMNS} FROM webhook_events e
       WHERE ($1::text IS NULL OR e.status = $1)
         AND ($2::text IS NULL OR e.type = $2)
         AND ($3::text IS NULL OR (e.received_at, e.id) <
              (SELECT c.received_at, c.id FROM webhook_events c WHERE c.id = $3))
       ORDER BY e.received_at DESC, e.id DESC
       LIMIT $4`,
      [query.status ?? null, query.type ?? null, query.startingAfter ?? null, query.limit + 1],
    );
    return { rows: rows.slice(0, query.limit), hasMore: rows.length > query.limit };
  },

  /**
   * Makes an event claimable again for a replay; 'busy' while a live worker holds it. NOTE: the
   * workers leave it alone for `holdSeconds` (the replay claims it at once; should the replay die
   * before, a worker takes it then).
   */
  async resetForReplay(manager: EntityManager, id: string, holdSeconds: number): Promise<'reset' | 'busy' | 'missing'> {
    const rows: unknown[] = await manager.query(
      `UPDATE webhook_events
       SET status = 'received', attempts = 0, last_error = NULL, claim_token = NULL, locked_until = NULL,
           next_attempt_at = now() + make_interval(secs => $2), updated_at = now()
       WHERE id = $1 AND NOT (status = 'processing' AND locked_until > now())
       RETURNING id`,
      [id, holdSeconds],
    );
    if (affected(rows) > 0) return 'reset';
    return (await this.find(manager, id)) ? 'busy' : 'missing';
  },
};

/** TypeORM returns `[rows, count]` for UPDATE … RETURNING on PostgreSQL. */
function affected(result: unknown[]): number {
  if (result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[1];
  return result.length;
}

function firstRow<T>(result: unknown[]): T | undefined {
  if (result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0][0] as T;
  return result[0] as T | undefined;
}
