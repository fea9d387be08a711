import crypto from 'node:crypto';
import type { EntityManager } from 'typeorm';

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

export const purchases = {
  /** Records a purchase once per operation (a janitor re-run finds it already there). */
  async record(manager: EntityManager, purchase: PurchaseRecord): Promise<void> {
    await manager.query(
      `INSERT INTO purchases (id, account_id, operation_id, kind, bought, previous, currency, amount,
         stripe_subscription_id, stripe_invoice_id, stripe_payment_intent_id, stripe_charge_id, paid_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (operation_id) DO NOTHING`,
      [
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
      ],
    );
  },
};
