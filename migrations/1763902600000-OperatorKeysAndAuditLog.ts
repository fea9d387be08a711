import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who did what in the operator's console (issue #23): one API key per person with a role (viewer,
 * operator, owner), kept as a SHA-256 digest only (the key is shown once, at creation), and an
 * audit log of every non-GET admin request: who, which route, when, before / after where the use
 * case gave them, and the outcome (HTTP status).
 */
export class OperatorKeysAndAuditLog1763902600000 implements MigrationInterface {
  name = 'OperatorKeysAndAuditLog1763902600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE operator_keys (
        id          text PRIMARY KEY CHECK (id ~ '^op_[A-Za-z0-9]{16,40}$'),
        name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        email       text CHECK (email IS NULL OR length(email) <= 254),
        role        text NOT NULL CHECK (role IN ('viewer', 'operator', 'owner')),
        key_digest  bytea NOT NULL UNIQUE,
        key_prefix  text NOT NULL,
        created_by  text NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        revoked_at  timestamptz
      )`);
    await q.query(`
      CREATE TABLE audit_log (
        id          bigserial PRIMARY KEY,
        actor_id    text NOT NULL,
        actor_name  text NOT NULL,
        actor_role  text NOT NULL,
        method      text NOT NULL,
        route       text NOT NULL,
        path        text NOT NULL,
        action      text NOT NULL,
        target      text,
        request     jsonb,
        before      jsonb,
        after       jsonb,
        status      integer NOT NULL,
        outcome     text NOT NULL CHECK (outcome IN ('succeeded', 'refused', 'failed')),
        request_id  text,
        occurred_at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX audit_log_occurred ON audit_log (occurred_at DESC, id DESC)');
    await q.query('CREATE INDEX audit_log_actor ON audit_log (actor_id, occurred_at DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE audit_log');
    await q.query('DROP TABLE operator_keys');
  }
}
