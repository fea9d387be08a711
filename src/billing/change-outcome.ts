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
  | 'expired';

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
