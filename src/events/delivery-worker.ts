import type { Pool } from 'pg';
import type { Logger } from '../shared/logger';
import { pollingLoop, type PollingLoop } from '../shared/polling-loop';
import { nextAttemptAt } from './delivery-backoff';
import { DeliverySigner, deliveryBody } from './delivery-signer';
import type { SendRequest, SendResult } from './http-sender';

interface ClaimedDelivery {
  id: string;
  attempts: number;
  first_attempt_at: Date;
  endpoint_id: string;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
  event_id: string;
  type: string;
  version: number;
  account_id: string | null;
  occurred_at: Date;
  data: string;
}

export interface DeliveryWorkerDeps {
  pool: () => Pool;
  logger: Logger;
  send: SendRequest;
  /** The service's clock: schedules, leases and the delivery log (tests move it). */
  now: () => Date;
  /** The clock of `webhook-timestamp`: receivers compare it with their own wall clock. */
  signingNow?: () => Date;
  timeoutMs: number;
  batchSize?: number;
  pollMs?: number;
  random?: () => number;
}

/** Events not yet fanned out become one delivery per enabled endpoint whose filter matches. */
const FAN_OUT_SQL = `
  WITH ev AS (
    SELECT id, seq, type, account_id FROM outbound_events
     WHERE fanned_out_at IS NULL ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED
  ), ins AS (
    INSERT INTO event_deliveries (id, endpoint_id, event_id, event_seq, account_key, next_attempt_at, created_at)
    SELECT 'dlv_' || replace(gen_random_uuid()::text, '-', ''), e.id, ev.id, ev.seq, COALESCE(ev.account_id, ''), $1, $1
      FROM ev JOIN event_endpoints e
        ON e.status = 'enabled' AND (cardinality(e.event_types) = 0 OR ev.type = ANY (e.event_types))
    ON CONFLICT (endpoint_id, event_id) DO NOTHING
  )
  UPDATE outbound_events o SET fanned_out_at = $1 FROM ev WHERE o.id = ev.id`;

/**
 * Claims due deliveries, each the oldest pending one of its endpoint x account (a later event waits
 * for the earlier), under a lease: a worker that dies mid-way leaves them to be claimed again once
 * the lease lapses (at-least-once).
 */
const CLAIM_SQL = `
  WITH due AS (
    SELECT d.id FROM event_deliveries d
      JOIN event_endpoints e ON e.id = d.endpoint_id AND e.status = 'enabled'
     WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND (d.lease_until IS NULL OR d.lease_until <= $1)
       AND NOT EXISTS (SELECT 1 FROM event_deliveries p
                        WHERE p.endpoint_id = d.endpoint_id AND p.account_key = d.account_key
                          AND p.status = 'pending' AND p.event_seq < d.event_seq)
     ORDER BY d.next_attempt_at, d.event_seq LIMIT $2
     FOR UPDATE OF d SKIP LOCKED
  )
  UPDATE event_deliveries d
     SET lease_until = $3, attempts = d.attempts + 1, first_attempt_at = COALESCE(d.first_attempt_at, $1),
         last_attempt_at = $1
    FROM due, event_endpoints e, outbound_events o
   WHERE d.id = due.id AND e.id = d.endpoint_id AND o.id = d.event_id
  RETURNING d.id, d.attempts, d.first_attempt_at, e.id AS endpoint_id, e.url, e.secret, e.previous_secret,
            e.previous_secret_expires_at, o.id AS event_id, o.type, o.version, o.account_id, o.occurred_at,
            o.data::text AS data`;

const RECORD_SQL = `
  UPDATE event_deliveries d
     SET status = r.status, last_response_code = r.code, last_error = r.error,
         next_attempt_at = COALESCE(r.next, d.next_attempt_at), lease_until = NULL
    FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::timestamptz[]) AS r(id, status, code, error, next)
   WHERE d.id = r.id`;

/** Delivers the outbox to operators' endpoints (Standard Webhooks), polling PostgreSQL. */
export class DeliveryWorker {
  private readonly signer = new DeliverySigner();
  private readonly loop: PollingLoop;

  constructor(private readonly deps: DeliveryWorkerDeps) {
    this.loop = pollingLoop({
      name: 'outbound event delivery',
      round: () => this.runOnce(),
      pollMs: () => deps.pollMs ?? 500,
      logger: deps.logger,
    });
  }

  /** Fans out new events, then delivers one batch; answers how many deliveries were attempted. */
  async runOnce(): Promise<number> {
    const now = this.deps.now();
    const batch = this.deps.batchSize ?? 500;
    await this.deps.pool().query(FAN_OUT_SQL, [now, batch * 4]);
    const lease = new Date(now.getTime() + this.deps.timeoutMs + 30_000);
    const { rows } = await this.deps.pool().query<ClaimedDelivery>(CLAIM_SQL, [now, batch, lease]);
    if (rows.length === 0) return 0;
    const results = await Promise.all(rows.map((row) => this.attempt(row, now)));
    await this.record(rows, results);
    return rows.length;
  }

  /** Runs until `stop()`: as fast as there is work, else every `pollMs`. */
  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  private attempt(row: ClaimedDelivery, now: Date): Promise<SendResult> {
    const secrets = [row.secret];
    if (row.previous_secret && row.previous_secret_expires_at && new Date(row.previous_secret_expires_at) > now)
      secrets.push(row.previous_secret);
    const body = deliveryBody({ ...row, id: row.event_id });
    const headers = this.signer.headers({
      id: row.event_id,
      body,
      at: (this.deps.signingNow ?? (() => new Date()))(),
      secrets,
    });
    return this.deps.send(row.url, headers, body).catch((error: unknown) => ({ status: null, error: String(error) }));
  }

  private async record(rows: ClaimedDelivery[], results: SendResult[]): Promise<void> {
    const now = this.deps.now();
    const statuses: string[] = [];
    const nexts: (Date | null)[] = [];
    const exhausted = new Map<string, string>();
    rows.forEach((row, i) => {
      const result = results[i]!;
      if (result.status !== null && result.status >= 200 && result.status < 300) {
        statuses.push('delivered');
        nexts.push(null);
        return;
      }
      const next = nextAttemptAt({
        attempt: row.attempts,
        firstAttemptAt: new Date(row.first_attempt_at),
        now,
        random: this.deps.random,
      });
      statuses.push(next ? 'pending' : 'failed');
      nexts.push(next);
      if (!next)
        exhausted.set(row.endpoint_id, result.status ? `HTTP ${result.status}` : (result.error ?? 'no answer'));
    });
    await this.deps
      .pool()
      .query(RECORD_SQL, [
        rows.map((row) => row.id),
        statuses,
        results.map((r) => r.status),
        results.map((r) => r.error),
        nexts,
      ]);
    for (const [endpointId, last] of exhausted) await this.disable(endpointId, last);
  }

  private async disable(endpointId: string, last: string): Promise<void> {
    const reason = `Deliveries kept failing for 3 days (last: ${last}); disabled automatically. Fix the endpoint, enable it again and replay.`;
    await this.deps
      .pool()
      .query(
        `UPDATE event_endpoints SET status = 'disabled', disabled_reason = $2, updated_at = $3 WHERE id = $1 AND status = 'enabled'`,
        [endpointId, reason, this.deps.now()],
      );
    this.deps.logger.error('ALERT: event endpoint disabled after persistent delivery failure', {
      endpoint_id: endpointId,
      reason,
    });
  }
}
