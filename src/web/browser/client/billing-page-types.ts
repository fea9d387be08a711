/**
 * The billing page's API shapes (hand-written until the generated client types cover them).
 * NOTE: `CancelPreview` is the lifecycle issue's `GET /v1/subscription/cancel-preview`.
 */
export type AdminRequestKind = 'upgrade' | 'cancel' | 'payment_method' | 'other';

export interface AdminRequest {
  id: string;
  object: 'admin_request';
  kind: AdminRequestKind;
  message: string | null;
  status: 'open' | 'resolved';
  requested_by: string;
  role: 'owner' | 'admin' | 'member';
  created_at: string;
}

export interface CancelAlternative {
  kind: 'smaller_plan';
  plan: string;
  interval: 'month' | 'year';
  price: { amount: number; currency: string };
  fits_usage: boolean;
}

export interface CancelPreview {
  subscription: Record<string, unknown>;
  cancel: { at_period_end: true; effective_at: string };
  alternatives: CancelAlternative[];
}

export interface InvoiceSummary {
  id: string;
  object: 'invoice';
  number: string | null;
  status: string;
  currency: string;
  total: number;
  amount_due: number;
  amount_paid: number;
  created_at: string;
  period_start: string | null;
  period_end: string | null;
  paid_at: string | null;
  hosted_invoice_url: string | null;
  invoice_pdf: string | null;
}

/** GET /v1/account `payment_method`: the customer's default card. */
export interface CardSummary {
  id: string;
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
}

/** POST /v1/payment-method/sessions: Stripe Checkout in setup mode. */
export interface PaymentMethodSession {
  object: 'payment_method_session';
  id: string;
  url: string;
  operation_id: string;
}
