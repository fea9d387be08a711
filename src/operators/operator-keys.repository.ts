import crypto from 'node:crypto';
import type { Pool } from 'pg';
import { OPERATOR_KEY_PREFIX } from '../shared/http/authenticate';
import type { Operator, OperatorRole } from '../shared/http/principal';

export interface OperatorKeyRow {
  id: string;
  name: string;
  email: string | null;
  role: OperatorRole;
  key_prefix: string;
  created_by: string;
  created_at: Date;
  revoked_at: Date | null;
}

const COLUMNS = 'id, name, email, role, key_prefix, created_by, created_at, revoked_at';

const randomId = (bytes: number) => crypto.randomBytes(bytes).toString('base64url').replace(/[-_]/g, 'x');

/** Operator keys: stored as the SHA-256 digest of the key; the key itself is returned once, at creation. */
export class OperatorKeysRepository {
  constructor(private readonly pool: () => Pool) {}

  /** The live (not revoked) operator a key digest belongs to. */
  async findByDigest(digest: Buffer): Promise<Operator | null> {
    const { rows } = await this.pool().query<Operator>(
      'SELECT id, name, role FROM operator_keys WHERE key_digest = $1 AND revoked_at IS NULL',
      [digest],
    );
    return rows[0] ?? null;
  }

  async list(): Promise<OperatorKeyRow[]> {
    const { rows } = await this.pool().query<OperatorKeyRow>(
      `SELECT ${COLUMNS} FROM operator_keys ORDER BY created_at, id`,
    );
    return rows;
  }

  async find(id: string): Promise<OperatorKeyRow | null> {
    const { rows } = await this.pool().query<OperatorKeyRow>(`SELECT ${COLUMNS} FROM operator_keys WHERE id = $1`, [
      id,
    ]);
    return rows[0] ?? null;
  }

  async create(input: {
    name: string;
    email: string | null;
    role: OperatorRole;
    createdBy: string;
    now: Date;
  }): Promise<{ row: OperatorKeyRow; key: string }> {
    const key = `${OPERATOR_KEY_PREFIX}${randomId(32)}`;
    const digest = crypto.createHash('sha256').update(key).digest();
    const { rows } = await this.pool().query<OperatorKeyRow>(
      `INSERT INTO operator_keys (id, name, email, role, key_digest, key_prefix, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [`op_${randomId(18)}`, input.name, input.email, input.role, digest, key.slice(0, 12), input.createdBy, input.now],
    );
    return { row: rows[0] as OperatorKeyRow, key };
  }

  /** Changes a key's role; null when there is no such live key. */
  async setRole(id: string, role: OperatorRole): Promise<OperatorKeyRow | null> {
    const { rows } = await this.pool().query<OperatorKeyRow>(
      `UPDATE operator_keys SET role = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING ${COLUMNS}`,
      [id, role],
    );
    return rows[0] ?? null;
  }

  /** Revokes a key (kept for the audit log's names); null when there is no such live key. */
  async revoke(id: string, now: Date): Promise<OperatorKeyRow | null> {
    const { rows } = await this.pool().query<OperatorKeyRow>(
      `UPDATE operator_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING ${COLUMNS}`,
      [id, now],
    );
    return rows[0] ?? null;
  }
}

export function operatorKeyView(row: OperatorKeyRow) {
  return {
    object: 'operator_key' as const,
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    key_prefix: row.key_prefix,
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    revoked_at: row.revoked_at?.toISOString() ?? null,
  };
}
