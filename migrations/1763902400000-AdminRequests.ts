import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a member of an account asks its owner or admins to do about billing ("ask your admin"):
 * the owner sees the open ones on the billing page; each one is also an `admin.request` outbound event.
 */
export class AdminRequests1763902400000 implements MigrationInterface {
  name = 'AdminRequests1763902400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE admin_requests (
        id           text PRIMARY KEY,
        account_id   text NOT NULL REFERENCES accounts(id),
        requested_by text NOT NULL,
        role         text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
        kind         text NOT NULL CHECK (kind IN ('upgrade', 'cancel', 'payment_method', 'other')),
        message      text CHECK (char_length(message) <= 1000),
        status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
        created_at   timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX admin_requests_account_idx ON admin_requests (account_id, created_at DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE admin_requests');
  }
}
