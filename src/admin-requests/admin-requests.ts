import crypto from 'node:crypto';
import type { DataSource } from 'typeorm';
import { recordOutboundEvent } from '../events/record-outbound-event';
import { notFound } from '../shared/errors';
import type { UserPrincipal } from '../shared/http/principal';
import type { ADMIN_REQUEST_KINDS } from './admin-requests.validators';

export type AdminRequestKind = (typeof ADMIN_REQUEST_KINDS)[number];

export interface AdminRequest {
  id: string;
  accountId: string;
  requestedBy: string;
  role: string;
  kind: AdminRequestKind;
  message: string | null;
  status: 'open' | 'resolved';
  createdAt: Date;
}

interface Row {
  id: string;
  account_id: string;
  requested_by: string;
  role: string;
  kind: AdminRequestKind;
  message: string | null;
  status: 'open' | 'resolved';
  created_at: Date;
}

const fromRow = (row: Row): AdminRequest => ({
  id: row.id,
  accountId: row.account_id,
  requestedBy: row.requested_by,
  role: row.role,
  kind: row.kind,
  message: row.message,
  status: row.status,
  createdAt: new Date(row.created_at),
});

/** "Ask your admin": the request row and its `admin.request` event, in one transaction. */
export class AdminRequests {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: { now(): Date } = { now: () => new Date() },
  ) {}

  async create(principal: UserPrincipal, input: { kind: AdminRequestKind; message?: string }): Promise<AdminRequest> {
    const id = `areq_${crypto.randomUUID().replaceAll('-', '')}`;
    const at = this.clock.now();
    return this.dataSource.transaction(async (manager) => {
      const rows: Row[] = await manager.query(
        `INSERT INTO admin_requests (id, account_id, requested_by, role, kind, message, created_at)
         SELECT $1, a.id, $3, $4, $5, $6, $7 FROM accounts a WHERE a.id = $2
         RETURNING *`,
        [id, principal.accountId, principal.userId, principal.role, input.kind, input.message ?? null, at],
      );
      const row = rows[0];
      if (!row) throw notFound('Account');
      await recordOutboundEvent(manager, {
        type: 'admin.request',
        accountId: principal.accountId,
        data: {
          request_id: id,
          kind: input.kind,
          message: input.message ?? null,
          requested_by: principal.userId,
          role: principal.role,
        },
        dedupeKey: `admin.request:${id}`,
        occurredAt: at,
      });
      return fromRow(row);
    });
  }

  /** The account's requests, newest first (only ever its own: the account comes from the token). */
  async list(accountId: string, limit = 50): Promise<AdminRequest[]> {
    const rows: Row[] = await this.dataSource.query(
      'SELECT * FROM admin_requests WHERE account_id = $1 ORDER BY created_at DESC, id LIMIT $2',
      [accountId, limit],
    );
    return rows.map(fromRow);
  }
}

export function adminRequestView(request: AdminRequest): Record<string, unknown> {
  return {
    id: request.id,
    object: 'admin_request',
    kind: request.kind,
    message: request.message,
    status: request.status,
    requested_by: request.requestedBy,
    role: request.role,
    created_at: request.createdAt.toISOString(),
  };
}
