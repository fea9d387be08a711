import type { Pool } from 'pg';

export type AuditOutcome = 'succeeded' | 'refused' | 'failed';

export interface AuditEntry {
  actorId: string;
  actorName: string;
  actorRole: string;
  method: string;
  /** The route's pattern, e.g. `/admin/v1/offers/:id`. */
  route: string;
  path: string;
  /** `METHOD pattern`, what the console shows as "what". */
  action: string;
  target: string | null;
  request: unknown;
  before: unknown;
  after: unknown;
  status: number;
  outcome: AuditOutcome;
  requestId: string | null;
  occurredAt: Date;
}

export interface AuditRow {
  id: string;
  actor_id: string;
  actor_name: string;
  actor_role: string;
  method: string;
  route: string;
  path: string;
  action: string;
  target: string | null;
  request: unknown;
  before: unknown;
  after: unknown;
  status: number;
  outcome: AuditOutcome;
  request_id: string | null;
  occurred_at: Date;
}

export interface AuditQuery {
  from?: Date;
  to?: Date;
  actorId?: string;
  route?: string;
  limit: number;
}

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/** The audit log: one row per non-GET operator request. */
export class AuditLogRepository {
  constructor(private readonly pool: () => Pool) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.pool().query(
      `INSERT INTO audit_log (actor_id, actor_name, actor_role, method, route, path, action, target, request, before,
         after, status, outcome, request_id, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        entry.actorId,
        entry.actorName,
        entry.actorRole,
        entry.method,
        entry.route,
        entry.path,
        entry.action,
        entry.target,
        json(entry.request),
        json(entry.before),
        json(entry.after),
        entry.status,
        entry.outcome,
        entry.requestId,
        entry.occurredAt,
      ],
    );
  }

  /** Newest first, within [from, to). */
  async list(query: AuditQuery): Promise<AuditRow[]> {
    const { rows } = await this.pool().query<AuditRow>(
      `SELECT id::text, actor_id, actor_name, actor_role, method, route, path, action, target, request, before, after,
              status, outcome, request_id, occurred_at
       FROM audit_log
       WHERE ($1::timestamptz IS NULL OR occurred_at >= $1) AND ($2::timestamptz IS NULL OR occurred_at < $2)
         AND ($3::text IS NULL OR actor_id = $3) AND ($4::text IS NULL OR route = $4)
       ORDER BY occurred_at DESC, id DESC LIMIT $5`,
      [query.from ?? null, query.to ?? null, query.actorId ?? null, query.route ?? null, query.limit],
    );
    return rows;
  }
}

export function auditEntryView(row: AuditRow) {
  return {
    object: 'audit_entry' as const,
    id: row.id,
    actor: { id: row.actor_id, name: row.actor_name, role: row.actor_role },
    method: row.method,
    route: row.route,
    path: row.path,
    action: row.action,
    target: row.target,
    request: row.request ?? null,
    before: row.before ?? null,
    after: row.after ?? null,
    status: row.status,
    outcome: row.outcome,
    request_id: row.request_id,
    occurred_at: row.occurred_at.toISOString(),
  };
}
