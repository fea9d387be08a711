import type { Pool } from 'pg';
import type { Stripe } from '../stripe/stripe-client';
import type { ClaimedEvent } from './webhook-event';

/**
 * The inbox row is the job. Storing it is the whole accept (one autocommit statement: stored and
 * queued at once, or nothing on failure); workers of any instance claim due rows with SKIP LOCKED.
 * Both run on the raw pg pool as named prepared statements (parsed and planned once per connection).
 */
const STORE_SQL = `
  INSERT INTO webhook_events (id, type, api_version, livemode, created, object_id, payload)
  VALUES ($1, $2, $3, $4, to_timestamp($5), $6, $7::jsonb)
  ON CONFLICT (id) DO NOTHING`;

/**
 * Due rows: new (`received`), failed and backed off until `next_attempt_at`, or `processing` under a
 * lease that ran out (its worker died). The claim leases them: `next_attempt_at` moves to the lease's
 * end, so a row whose worker dies comes due again then, with no sweep. Oldest due first.
 */
const CLAIM_DUE_SQL = `
  WITH due AS (
    SELECT id FROM webhook_events
     WHERE status IN ('received', 'failed', 'processing') AND next_attempt_at <= now()
     ORDER BY next_attempt_at
     LIMIT $1
     FOR UPDATE SKIP LOCKED
  )
  UPDATE webhook_events e
     SET status = 'processing', attempts = e.attempts + 1, claim_token = gen_random_uuid(),
         locked_until = now() + make_interval(secs => $2), next_attempt_at = now() + make_interval(secs => $2),
         updated_at = now()
    FROM due
   WHERE e.id = due.id
  RETURNING e.id, e.type, e.payload, e.attempts, e.claim_token`;

export const webhookInboxQueue = {
  /**
   * Stores a verified event once; false when its id was already stored. `json`: the event's text as
   * Stripe signed it, stored as it is rather than serialised again.
   */
  async store(pool: Pool, event: Stripe.Event, json: string): Promise<boolean> {
    const objectId = (event.data.object as { id?: unknown }).id;
    const result = await pool.query({
      name: 'webhook_store_v1',
      text: STORE_SQL,
      values: [
        event.id,
        event.type,
        event.api_version ?? null,
        event.livemode ?? false,
        event.created,
        typeof objectId === 'string' ? objectId : null,
        json,
      ],
    });
    return result.rowCount === 1;
  },

  /** Leases up to `limit` due events for `leaseSeconds`; concurrent claimers never get the same row. */
  async claimDue(pool: Pool, limit: number, leaseSeconds: number): Promise<ClaimedEvent[]> {
    const { rows } = await pool.query<{
      id: string;
      type: string;
      payload: Stripe.Event;
      attempts: number;
      claim_token: string;
    }>({ name: 'webhook_claim_due_v1', text: CLAIM_DUE_SQL, values: [limit, leaseSeconds] });
    return rows.map((row) => ({
      id: row.id,
      type: row.type,
      event: row.payload,
      attempts: row.attempts,
      claimToken: row.claim_token,
    }));
  },
};
