import type { EntityManager } from 'typeorm';
import type { Stripe } from '../stripe/stripe-client';
import { lockPaymentIntents } from './payment-intent-links';
import { idOf } from './stripe-ids';

export interface ChargeMirror {
  id: string;
  accountId: string;
  customerId: string;
  paymentIntentId: string | null;
  amount: number;
  amountCaptured: number;
  amountRefunded: number;
  currency: string;
  status: string;
  refunded: boolean;
  disputed: boolean;
  stripeCreatedAt: number;
}

/** Pure: the `charges` row for Stripe's current charge (refunds and disputes included). */
export function chargeMirror(charge: Stripe.Charge, accountId: string): ChargeMirror {
  return {
    id: charge.id,
    accountId,
    customerId: idOf(charge.customer) ?? '',
    paymentIntentId: idOf(charge.payment_intent),
    amount: charge.amount,
    amountCaptured: charge.amount_captured,
    amountRefunded: charge.amount_refunded,
    currency: charge.currency,
    status: charge.status,
    refunded: charge.refunded,
    disputed: charge.disputed,
    stripeCreatedAt: charge.created,
  };
}

/**
 * Inserts or replaces the mirror row; the values always come from Stripe's current object.
 * NOTE: API 2026-10-28 charges do not name their invoice: `invoice_id` is the mirrored invoice whose
 * payments include the charge's PaymentIntent (an invoice mirrored later links it then).
 */
export async function upsertCharge(manager: EntityManager, m: ChargeMirror): Promise<void> {
  if (m.paymentIntentId) await lockPaymentIntents(manager, [m.paymentIntentId]);
  await manager.query(
    `INSERT INTO charges (id, account_id, customer_id, payment_intent_id, amount, amount_captured,
       amount_refunded, currency, status, refunded, disputed, stripe_created_at, invoice_id, synced_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, to_timestamp($12),
       (SELECT i.id FROM invoices i WHERE i.payment_intent_ids @> ARRAY[$4::text] ORDER BY i.stripe_created_at DESC LIMIT 1),
       now())
     ON CONFLICT (id) DO UPDATE SET
       account_id = EXCLUDED.account_id, customer_id = EXCLUDED.customer_id,
       payment_intent_id = EXCLUDED.payment_intent_id, amount = EXCLUDED.amount,
       amount_captured = EXCLUDED.amount_captured, amount_refunded = EXCLUDED.amount_refunded,
       currency = EXCLUDED.currency, status = EXCLUDED.status, refunded = EXCLUDED.refunded,
       disputed = EXCLUDED.disputed, stripe_created_at = EXCLUDED.stripe_created_at,
       invoice_id = COALESCE(EXCLUDED.invoice_id, charges.invoice_id), synced_at = now(), updated_at = now()`,
    [
      m.id,
      m.accountId,
      m.customerId,
      m.paymentIntentId,
      m.amount,
      m.amountCaptured,
      m.amountRefunded,
      m.currency,
      m.status,
      m.refunded,
      m.disputed,
      m.stripeCreatedAt,
    ],
  );
}
