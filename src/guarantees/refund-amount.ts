import type { Ledger } from './purchase-ledger';

/**
 * Pure: what may actually be sent to Stripe for a refund: what the policy wants, never more than
 * the ledger says Stripe still holds for the purchase (captured − refunded − credit already
 * returned). NOTE: Stripe itself only refuses beyond captured − refunded (`amount_too_large`); the
 * credit it already gave back as balance or on later invoices is ours to subtract.
 */
export function refundAmount(wanted: number, ledger: Pick<Ledger, 'refundable'>): number {
  return Math.max(0, Math.min(wanted, ledger.refundable));
}
