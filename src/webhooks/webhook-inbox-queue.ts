import type { Pool } from 'pg';
import type { Stripe } from '../stripe/stripe-client';
import { ArrayLiteral } from '../shared/database/pg-array-literal';
import type { ClaimedEvent } from './webhook-event';

/**
 * The inbox row is the job. Storing it is the whole accept (one autocommit statement: stored and
 * queued at once, or nothing on failure); workers of any instance claim due rows with SKIP LOCKED.
 * Both run on the raw pg pool as named prepared statements (parsed and planned once per connection).
 * The store takes a batch (deliveries that arrived together: the intake in webhook-module.ts is a
 * GroupCommit, shared/database/group-commit.ts): one row per element of its arrays; the ids it
 * answers are the rows it inserted, so a repeat is not among them.
 */
const STORE_SQL = `
  INSERT INTO webhook_events (id, type, api_version, livemode, created, object_id, payload)
  SELECT id, type, api_version, livemode, to_timestamp(created), object_id, payload::jsonb
    FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::bigint[], $6::text[], $7::text[])
      AS d(id, type, api_version, livemode, created, object_id, payload)
  ON CONFLICT (id) DO NOTHING
  RETURNING id`;

/** A verified delivery to store: the event and its text as Stripe signed it, stored as it is. */
export interface InboxDelivery {
  event: Stripe.Event;
  json: string;
}

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
   * Stores verified events in one statement; answers, per delivery in order, whether it was new. Of
   * two deliveries of one id in the same batch, the first is the new one and the second a repeat.
   */
  async storeMany(pool: Pool, deliveries: readonly InboxDelivery[]): Promise<boolean[]> {
    const [ids, types, versions, livemodes, created, objectIds, payloads] = [
      new ArrayLiteral(),
      new ArrayLiteral(),
      new ArrayLiteral(),
      new ArrayLiteral(),
      new ArrayLiteral(),
      new ArrayLiteral(),
      new ArrayLiteral(),
    ];
    for (const { event, json } of deliveries) {
      const objectId = (event.data.object as { id?: unknown }).id;
      ids.addText(event.id);
      types.addText(event.type);
      versions.addNullableText(event.api_version ?? null);
      livemodes.addText(event.livemode === true ? 't' : 'f');
      created.addInteger(event.created);
      objectIds.addNullableText(typeof objectId === 'string' ? objectId : null);
      payloads.addText(json);
    }
    const { rows } = await pool.query<{ id: string }>({
      name: 'webhook_store_v2',
      text: STORE_SQL,
      values: [ids, types, versions, livemodes, created, objectIds, payloads].map(String),
    });
    const inserted = new Set(rows.map((row) => row.id));
    // NOTE: delete on first sight, so a second delivery of the same id in this batch reads as a repeat.
    return deliveries.map(({ event }) => inserted.delete(event.id));
  },

  /** Stores one verified event; false when its id was already stored. */
  async store(pool: Pool, event: Stripe.Event, json: string): Promise<boolean> {
    const [stored] = await webhookInboxQueue.storeMany(pool, [{ event, json }]);
    return stored === true;
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
