import type { EntityManager } from 'typeorm';

/** Namespaces the per-PaymentIntent transaction locks that link charges to invoices (an arbitrary constant). */
const PAYMENT_INTENT_LOCK_SPACE = 727_274_101;

/**
 * NOTE: an invoice and its charge are synced under different object locks, possibly at once; each
 * side looks for the other's row. Both take this transaction lock on the PaymentIntent first, so
 * the second to commit always sees the first's row and the link is made in any order.
 */
export async function lockPaymentIntents(manager: EntityManager, paymentIntentIds: readonly string[]): Promise<void> {
  for (const id of [...new Set(paymentIntentIds)].sort())
    await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [PAYMENT_INTENT_LOCK_SPACE, id]);
}

/** Links the mirrored charges of the invoice's PaymentIntents to it (the invoice arrived second). */
export async function linkChargesToInvoice(
  manager: EntityManager,
  invoiceId: string,
  paymentIntentIds: readonly string[],
): Promise<void> {
  if (paymentIntentIds.length === 0) return;
  await manager.query(
    `UPDATE charges SET invoice_id = $1, updated_at = now()
     WHERE payment_intent_id = ANY($2::text[]) AND invoice_id IS DISTINCT FROM $1`,
    [invoiceId, paymentIntentIds],
  );
}
