/** What POST /v1/changes answers (API.md), kept as the operation's result for replays. */
export type ChangeStatus =
  | 'applied'
  | 'requires_action'
  | 'requires_payment_method'
  | 'scheduled'
  | 'checkout_required'
  | 'canceled'
  | 'cancel_scheduled'
  | 'resumed'
  | 'expired'
  /** Paid, but Stripe holds other items than the change asked for: failed, an operator must look. */
  | 'not_applied'
  /** An open Checkout expired because the customer started another change (`supersede`). */
  | 'superseded'
  /** Refused under the lane before anything was sent: the quote no longer matched Stripe. */
  | 'stale'
  | 'not_sent'
  /** Operator actions (issue #23): credit on the customer balance, a receipt sent again, a trial extended. */
  | 'credited'
  | 'invoice_sent'
  | 'trial_extended';

export interface ChangeOutcome {
  status: ChangeStatus;
  client_secret?: string;
  checkout_url?: string;
  amount_charged?: number;
  currency?: string;
  invoice?: string;
  effective_at?: string;
  [key: string]: unknown;
}
