import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One billing lane per account. Every operation that moves money or entitlements (a journalled
 * billing operation of any kind, a refund claim) holds the account's lane from its claim until
 * it reaches a terminal state — waiting on the customer (3-D Secure, Checkout) included. Before,
 * the per-account index covered `claimed`/`sent` only, so a second Checkout or change was
 * accepted while the first waited on the customer, and refunds shared no lock with changes.
 *
 * The lane is a row per account, taken and given back by triggers in the same transaction that
 * writes the holder's state, so no code path can forget to release it: inserting an unfinished
 * operation or claim takes it (a second holder is a unique violation on billing_lanes_pkey,
 * answered 409 naming the holder); moving the holder to a terminal state gives it back.
 */
export class BillingLanes1763901100000 implements MigrationInterface {
  name = 'BillingLanes1763901100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE billing_lanes (
        account_id  text PRIMARY KEY REFERENCES accounts(id),
        holder_kind text NOT NULL CHECK (holder_kind IN ('operation', 'refund_claim')),
        holder_id   text NOT NULL,
        acquired_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Holders left unfinished before this migration keep (the oldest of) their lane.
    await q.query(`
      INSERT INTO billing_lanes (account_id, holder_kind, holder_id, acquired_at)
      SELECT DISTINCT ON (account_id) account_id, kind, id, created_at FROM (
        SELECT account_id, 'operation' AS kind, id, created_at FROM billing_operations
         WHERE state IN ('claimed', 'sent', 'awaiting_customer')
        UNION ALL
        SELECT account_id, 'refund_claim', id, created_at FROM refund_claims WHERE state IN ('claimed', 'refunded')
      ) holders ORDER BY account_id, created_at`);

    await q.query(`
      CREATE FUNCTION billing_lane_take() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO billing_lanes (account_id, holder_kind, holder_id) VALUES (NEW.account_id, TG_ARGV[0], NEW.id);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION billing_lane_give_back() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM billing_lanes WHERE account_id = NEW.account_id AND holder_id = NEW.id;
        RETURN NULL;
      END $$`);

    await q.query(`
      CREATE TRIGGER billing_operations_take_lane AFTER INSERT ON billing_operations
      FOR EACH ROW WHEN (NEW.state IN ('claimed', 'sent', 'awaiting_customer'))
      EXECUTE FUNCTION billing_lane_take('operation')`);
    await q.query(`
      CREATE TRIGGER billing_operations_give_back_lane AFTER UPDATE OF state ON billing_operations
      FOR EACH ROW WHEN (NEW.state IN ('completed', 'failed') AND OLD.state NOT IN ('completed', 'failed'))
      EXECUTE FUNCTION billing_lane_give_back()`);
    await q.query(`
      CREATE TRIGGER refund_claims_take_lane AFTER INSERT ON refund_claims
      FOR EACH ROW WHEN (NEW.state IN ('claimed', 'refunded'))
      EXECUTE FUNCTION billing_lane_take('refund_claim')`);
    await q.query(`
      CREATE TRIGGER refund_claims_give_back_lane AFTER UPDATE OF state ON refund_claims
      FOR EACH ROW WHEN (NEW.state IN ('completed', 'failed') AND OLD.state NOT IN ('completed', 'failed'))
      EXECUTE FUNCTION billing_lane_give_back()`);

    // The lane subsumes the old per-account index (claimed/sent only).
    await q.query('DROP INDEX billing_operations_one_unfinished_per_account');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNIQUE INDEX billing_operations_one_unfinished_per_account ON billing_operations (account_id)
      WHERE state IN ('claimed', 'sent')`);
    await q.query('DROP TRIGGER refund_claims_give_back_lane ON refund_claims');
    await q.query('DROP TRIGGER refund_claims_take_lane ON refund_claims');
    await q.query('DROP TRIGGER billing_operations_give_back_lane ON billing_operations');
    await q.query('DROP TRIGGER billing_operations_take_lane ON billing_operations');
    await q.query('DROP FUNCTION billing_lane_give_back()');
    await q.query('DROP FUNCTION billing_lane_take()');
    await q.query('DROP TABLE billing_lanes');
  }
}
