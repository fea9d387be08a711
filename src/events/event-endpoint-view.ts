import type { DeliveryRow, EndpointRow } from './event-endpoints.repository';

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

/** An endpoint as operators read it; the secret only in the answers that create or rotate it. */
export function endpointView(row: EndpointRow, secret?: string) {
  return {
    id: row.id,
    url: row.url,
    event_types: row.event_types,
    description: row.description,
    status: row.status,
    disabled_reason: row.disabled_reason,
    ...(secret ? { secret } : {}),
    created_at: new Date(row.created_at).toISOString(),
    health: {
      delivered_24h: row.delivered_24h,
      failed_24h: row.failed_24h,
      pending: row.pending,
      oldest_pending_at: iso(row.oldest_pending_at),
    },
  };
}

export function deliveryView(row: DeliveryRow) {
  return {
    id: row.id,
    event_id: row.event_id,
    event_type: row.event_type,
    account_id: row.account_id,
    status: row.status,
    attempts: row.attempts,
    last_response_code: row.last_response_code,
    last_attempt_at: iso(row.last_attempt_at),
    next_attempt_at: iso(row.next_attempt_at),
  };
}
