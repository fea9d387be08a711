import crypto from 'node:crypto';
import type { Pool } from 'pg';

export type EndpointStatus = 'enabled' | 'disabled';
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface EndpointRow {
  id: string;
  url: string;
  event_types: string[];
  description: string | null;
  status: EndpointStatus;
  disabled_reason: string | null;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
  created_at: Date;
  delivered_24h: number;
  failed_24h: number;
  pending: number;
  oldest_pending_at: Date | null;
}

export interface DeliveryRow {
  id: string;
  event_id: string;
  event_type: string;
  account_id: string | null;
  status: DeliveryStatus;
  attempts: number;
  last_response_code: number | null;
  last_attempt_at: Date | null;
  next_attempt_at: Date | null;
}

const randomId = (prefix: string) => `${prefix}_${crypto.randomUUID().replaceAll('-', '')}`;
export const newEndpointSecret = () => `whsec_${crypto.randomBytes(32).toString('base64')}`;

/** Health over the 24 hours before $1 (the service's clock). */
const SELECT_ENDPOINTS = `
  SELECT e.id, e.url, e.event_types, e.description, e.status, e.disabled_reason, e.secret, e.previous_secret,
         e.previous_secret_expires_at, e.created_at,
         COALESCE(h.delivered_24h, 0)::int AS delivered_24h, COALESCE(h.failed_24h, 0)::int AS failed_24h,
         COALESCE(h.pending, 0)::int AS pending, h.oldest_pending_at
    FROM event_endpoints e
    LEFT JOIN LATERAL (
      SELECT count(*) FILTER (WHERE d.status = 'delivered' AND d.last_attempt_at > $1::timestamptz - interval '24 hours') AS delivered_24h,
             count(*) FILTER (WHERE d.status <> 'delivered' AND d.attempts > 0
                                AND d.last_attempt_at > $1::timestamptz - interval '24 hours') AS failed_24h,
             count(*) FILTER (WHERE d.status = 'pending') AS pending,
             min(d.created_at) FILTER (WHERE d.status = 'pending') AS oldest_pending_at
        FROM event_deliveries d WHERE d.endpoint_id = e.id) h ON true`;

/** Endpoints, their secrets and delivery logs, in PostgreSQL. */
export class EventEndpointsRepository {
  constructor(private readonly pool: () => Pool) {}

  async create(input: { url: string; eventTypes: string[]; description: string | null; now: Date }): Promise<string> {
    const id = randomId('ep');
    await this.pool().query(
      `INSERT INTO event_endpoints (id, url, event_types, description, secret, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6)`,
      [id, input.url, input.eventTypes, input.description, newEndpointSecret(), input.now],
    );
    return id;
  }

  async list(now: Date): Promise<EndpointRow[]> {
    return (await this.pool().query<EndpointRow>(`${SELECT_ENDPOINTS} ORDER BY e.created_at, e.id`, [now])).rows;
  }

  async find(id: string, now: Date): Promise<EndpointRow | null> {
    return (await this.pool().query<EndpointRow>(`${SELECT_ENDPOINTS} WHERE e.id = $2`, [now, id])).rows[0] ?? null;
  }

  async update(
    id: string,
    patch: { url?: string; eventTypes?: string[]; description?: string | null; status?: EndpointStatus },
    now: Date,
  ): Promise<boolean> {
    const result = await this.pool().query(
      `UPDATE event_endpoints SET
         url = COALESCE($2, url),
         event_types = COALESCE($3, event_types),
         description = CASE WHEN $4::boolean THEN $5 ELSE description END,
         status = COALESCE($6, status),
         disabled_reason = CASE WHEN $6 = 'enabled' THEN NULL WHEN $6 = 'disabled' THEN 'Disabled by an operator.'
                                ELSE disabled_reason END,
         updated_at = $7
       WHERE id = $1`,
      [
        id,
        patch.url ?? null,
        patch.eventTypes ?? null,
        patch.description !== undefined,
        patch.description ?? null,
        patch.status ?? null,
        now,
      ],
    );
    return (result.rowCount ?? 0) > 0;
  }

  /** A new secret; the old one keeps signing (beside the new) until `overlapEnds`. */
  async rotateSecret(id: string, overlapEnds: Date, now: Date): Promise<string | null> {
    const secret = newEndpointSecret();
    const result = await this.pool().query(
      `UPDATE event_endpoints SET previous_secret = secret, previous_secret_expires_at = $3, secret = $2, updated_at = $4
        WHERE id = $1`,
      [id, secret, overlapEnds, now],
    );
    return (result.rowCount ?? 0) > 0 ? secret : null;
  }

  async delete(id: string): Promise<boolean> {
    return ((await this.pool().query('DELETE FROM event_endpoints WHERE id = $1', [id])).rowCount ?? 0) > 0;
  }

  async deliveries(endpointId: string, status: DeliveryStatus | undefined, limit: number): Promise<DeliveryRow[]> {
    const result = await this.pool().query<DeliveryRow>(
      `SELECT d.id, d.event_id, o.type AS event_type, o.account_id, d.status, d.attempts, d.last_response_code,
              d.last_attempt_at, CASE WHEN d.status = 'pending' THEN d.next_attempt_at END AS next_attempt_at
         FROM event_deliveries d JOIN outbound_events o ON o.id = d.event_id
        WHERE d.endpoint_id = $1 AND ($2::text IS NULL OR d.status = $2)
        ORDER BY d.event_seq DESC LIMIT $3`,
      [endpointId, status ?? null, limit],
    );
    return result.rows;
  }

  /** Sends one delivery again (whatever its state), at once. */
  async replayDelivery(endpointId: string, deliveryId: string, now: Date): Promise<DeliveryRow | null> {
    const result = await this.pool().query(
      `UPDATE event_deliveries SET status = 'pending', attempts = 0, first_attempt_at = NULL, next_attempt_at = $3,
              lease_until = NULL
        WHERE endpoint_id = $1 AND id = $2`,
      [endpointId, deliveryId, now],
    );
    if ((result.rowCount ?? 0) === 0) return null;
    return (await this.deliveries(endpointId, undefined, 1_000_000)).find((row) => row.id === deliveryId) ?? null;
  }

  /**
   * Sends again every event in [from, to) this endpoint subscribes to, delivered before or not
   * (a time range from before the endpoint existed included). Answers how many were queued.
   */
  async replayRange(endpoint: { id: string; event_types: string[] }, from: Date, to: Date, now: Date) {
    const result = await this.pool().query(
      `INSERT INTO event_deliveries (id, endpoint_id, event_id, event_seq, account_key, next_attempt_at, created_at)
       SELECT 'dlv_' || replace(gen_random_uuid()::text, '-', ''), $1, o.id, o.seq, COALESCE(o.account_id, ''), $5, $5
         FROM outbound_events o
        WHERE o.occurred_at >= $3 AND o.occurred_at < $4
          AND (cardinality($2::text[]) = 0 OR o.type = ANY($2::text[]))
       ON CONFLICT (endpoint_id, event_id) DO UPDATE
          SET status = 'pending', attempts = 0, first_attempt_at = NULL, next_attempt_at = $5, lease_until = NULL`,
      [endpoint.id, endpoint.event_types, from, to, now],
    );
    return result.rowCount ?? 0;
  }
}
