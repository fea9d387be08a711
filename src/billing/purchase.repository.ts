import crypto from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { OperationAlreadyFinished } from './operation-journal';

/** One paid change: what was bought, what it replaced, and the money Stripe took (for guarantees). */
export interface PurchaseRecord {
  accountId: string;
  operationId: string;
  kind: 'plan_change' | 'add_on' | 'subscription_start' | 'one_time';
  bought: object;
  previous: object;
  currency: string;
  amount: number;
  stripeSubscriptionId: string | null;
  stripeInvoiceId: string | null;
  stripePaymentIntentId: string | null;
  stripeChargeId: string | null;
  paidAt: Date;
}

const COLUMNS = `id, account_id, operation_id, kind, bought, previous, currency, amount,
  stripe_subscription_id, stripe_invoice_id, stripe_payment_intent_id, stripe_charge_id, paid_at`;

/** $1–$13 of both statements below, in COLUMNS' order. */
const columnValues = (purchase: PurchaseRecord) => [
  `pur_${crypto.randomBytes(12).toString('hex')}`,
  purchase.accountId,
  purchase.operationId,
  purchase.kind,
  JSON.stringify(purchase.bought),
  JSON.stringify(purchase.previous),
  purchase.currency,
  purchase.amount,
  purchase.stripeSubscriptionId,
  purchase.stripeInvoiceId,
  purchase.stripePaymentIntentId,
  purchase.stripeChargeId,
  purchase.paidAt,
];

export const purchases = {
  /** Records a purchase once per operation (a janitor re-run finds it already there). */
  async record(manager: EntityManager, purchase: PurchaseRecord): Promise<void> {
    await manager.query(
      `INSERT INTO purchases (${COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (operation_id) DO NOTHING`,
      columnValues(purchase),
    );
  },

  /**
   * Records the purchase and completes its operation (`completed`, with its answer) in one
   * statement: one round trip, and atomic on its own or inside the caller's transaction (the
   * mirror's). An operation that had already finished (a late writer) is left as it is and nothing
   * is recorded; that throws OperationAlreadyFinished, so that the caller's transaction rolls back.
   * NOTE: the same effect as `record` then `operations.complete` in one transaction, whose completion
   * rolled the purchase back. The lane is given back by the journal's trigger, as for `complete`.
   */
  async recordAndComplete(
    manager: EntityManager,
    purchase: PurchaseRecord,
    result: Record<string, unknown>,
  ): Promise<void> {
    // NOTE: an INSERT … SELECT infers no types from the target columns: hence the casts.
    const rows: Array<{ completed: number }> = await manager.query(
      `WITH completed AS (
         UPDATE billing_operations SET state = 'completed', result = $14::jsonb, lease_until = NULL, updated_at = now()
         WHERE id = $3 AND state NOT IN ('completed', 'failed') RETURNING id
       ), recorded AS (
         INSERT INTO purchases (${COLUMNS})
         SELECT $1::text, $2::text, $3::text, $4::text, $5::jsonb, $6::jsonb, $7::text, $8::bigint, $9::text,
           $10::text, $11::text, $12::text, $13::timestamptz
         FROM completed
         ON CONFLICT (operation_id) DO NOTHING
       )
       SELECT count(*)::int AS completed FROM completed`,
      [...columnValues(purchase), JSON.stringify(result)],
    );
    if (rows[0]?.completed !== 1) throw new OperationAlreadyFinished(purchase.operationId);
  },
};
