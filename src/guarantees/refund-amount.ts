/**
 * Pure: what may actually be sent to Stripe for a refund. NOTE: Stripe refuses a refund beyond
 * captured minus already refunded (`amount_too_large`); capping here means a claim never asks
 * for more than the charge still holds, whatever the policy computed.
 */
export function refundAmount(wanted: number, charge: { captured: number; refunded: number }): number {
  return Math.max(0, Math.min(wanted, charge.captured - charge.refunded));
}
