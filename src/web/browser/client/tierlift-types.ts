/**
 * The shapes of Tierlift's end-user API (shared/API.md) as a browser or Node frontend reads them.
 * Only the fields a frontend relies on are spelled out; the server may add more.
 */

export interface Money {
  /** Integer count of the currency's minor units (cents; yen have none). */
  amount: number;
  /** Lowercase ISO 4217 code. */
  currency: string;
  formatted: string;
}

export interface ApiErrorBody {
  type: string;
  code: string;
  message: string;
  param?: string | null;
  request_id?: string;
  [key: string]: unknown;
}

export interface SubscriptionView {
  plan: string;
  interval: 'month' | 'year';
  status: string;
  current_period_end?: string | null;
  cancel_at_period_end?: boolean;
  [key: string]: unknown;
}

export interface AccountView {
  id: string;
  name: string;
  email: string;
  country: string;
  locale: string;
  industry: string | null;
  company_size: string | null;
  /** The billing sections: present whenever the service runs with Stripe (always, but in bare test set-ups). */
  currency?: string;
  subscription?: SubscriptionView | null;
  add_ons?: Array<{ code: string; quantity: number; [key: string]: unknown }>;
  pending_change?: Record<string, unknown> | null;
  refunds?: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

export type FeatureCell =
  | { code: string; name: string; type: 'metered'; limit: number | 'unlimited'; words: string }
  | { code: string; name: string; type: 'boolean'; included: boolean; words: string };

export interface PlanColumn {
  code: string;
  name: string;
  tagline: string;
  tier: number;
  current: boolean;
  recommended: boolean;
  trial_days: number;
  price: Money & { interval: 'month' | 'year'; words: string };
  annual_saving: (Money & { words: string }) | null;
  monthly_equivalent: (Money & { words: string }) | null;
  features: FeatureCell[];
  benefits: string[];
  social_proof: string[];
}

export interface ComparisonTable {
  object: 'comparison_table';
  locale: string;
  currency: string;
  interval: 'month' | 'year';
  features: Array<{ code: string; name: string; type: 'metered' | 'boolean' }>;
  plans: PlanColumn[];
  add_ons: Array<Record<string, unknown>>;
  bundles: Array<Record<string, unknown>>;
}

export type Entitlement =
  | {
      feature: string;
      type: 'metered';
      kind: 'counter' | 'gauge';
      /** null: unlimited. */
      limit: number | null;
      used: number;
      remaining: number | null;
      percent: number | null;
      period_start: string | null;
      period_end: string | null;
    }
  | { feature: string; type: 'boolean'; enabled: boolean };

export interface EntitlementList {
  object: 'list';
  account_id: string;
  plan: string;
  data: Entitlement[];
}

export interface EntitlementCheck {
  object: 'entitlement';
  feature: string;
  allowed: boolean;
  quantity: number;
  upgrade: { plan: string | null; add_on: { code: string; quantity: number } | null } | null;
  [key: string]: unknown;
}

export type Placement = 'dashboard' | 'feature_gate' | 'checkout' | 'post_purchase' | 'settings';

export type PromptEventType = 'impression' | 'click' | 'dismiss' | 'snooze' | 'never';

export interface QuoteRequest {
  plan?: string;
  interval?: 'month' | 'year';
  add_ons?: Array<{ code: string; quantity: number }>;
  bundle?: string;
}

export interface PromptAction {
  type: 'purchase' | 'ask_admin' | 'dismiss' | 'snooze' | 'never';
  label: string;
  quote?: QuoteRequest;
}

export interface Prompt {
  id: string;
  kind: 'upsell' | 'cross_sell' | 'bundle';
  placement: Placement;
  offer: {
    type: 'plan' | 'addon' | 'bundle';
    code: string;
    name: string;
    interval: 'month' | 'year' | 'one_time';
    quantity: number;
    price: Money & { words: string };
    /** `due_now`: the price is what this account pays now; `list`: a list price, `price_note` beside it. */
    price_basis?: 'due_now' | 'list';
    price_note?: string | null;
    savings: (Money & { words: string }) | null;
    discount: { percent_off: number; regular_price: Money } | null;
    renewal_terms: string;
    guarantee_days: number | null;
  };
  copy: {
    title: string;
    body: string;
    cta: string;
    decline: string;
    snooze: string;
    never: string;
    locale: string;
    benefits: string[];
    details: string[];
    social_proof: string[];
    guarantee: string | null;
    /** The guarantee's conditions in plain words; absent from older servers. */
    guarantee_terms?: string[];
    ends: string | null;
    compare: string;
    ask_admin_note: string | null;
  };
  reason: {
    trigger: string;
    feature?: string;
    percent?: number;
    threshold?: number;
    projected_limit_at?: string | null;
    text: string;
  };
  actions: PromptAction[];
  comparison_url: string;
  ends_at: string | null;
  tone: string;
  experiment?: { key: string; variant: string };
}

export interface PromptList {
  object: 'list';
  placement: Placement;
  data: Prompt[];
}

export interface PromptEventResult {
  object: 'prompt_event';
  prompt_id: string;
  type: PromptEventType;
  recorded: boolean;
}

export interface QuoteLine {
  description: string;
  /** Before the line's discount (minor units). */
  amount: number;
  /** The line's discount (a bundle's coupon), in minor units; 0 when none. */
  discount: number;
  formatted: string;
  proration: boolean;
  period?: { start: string; end: string } | null;
}

export interface Quote {
  id: string;
  object: 'quote';
  expires_at: string;
  currency: string;
  amount_due_now: number;
  amount_due_now_formatted: string;
  lines: QuoteLine[];
  /** A bundle's terms: its percentage, on which items, and the discount on this invoice. */
  bundle?: {
    code: string;
    percent_off: number;
    duration: 'once' | 'forever';
    applies_to: string[];
    discount: number;
    discount_formatted: string;
  } | null;
  next_invoice: { amount: number; formatted: string; date: string } | null;
  proration_date: number | null;
  change: {
    kind: string;
    effective: 'now' | 'after_checkout' | 'period_end';
    plan: string | null;
    interval: string | null;
  };
  checkout_required: boolean;
  guarantee: {
    eligible: boolean;
    days: number | null;
    /** Why none is promised (a refusal reason of the guarantee rules); absent from older servers. */
    reason?: string | null;
    /** The conditions in plain words, the window first; absent from older servers. */
    terms?: string[];
  };
}

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
  | 'not_applied'
  | 'superseded'
  | 'stale'
  | 'not_sent'
  | 'in_progress'
  | 'failed';

export interface Change {
  object: 'change';
  operation_id: string;
  status: ChangeStatus;
  state?: string;
  subscription: SubscriptionView | null;
  client_secret?: string;
  checkout_url?: string;
  /** Present when Stripe (or the local emulator) answers with a redirect for 3-D Secure. */
  next_action?: { type: string; redirect_to_url?: { url: string; return_url?: string } } | null;
  amount_charged?: number;
  amount_due?: number;
  currency?: string;
  invoice?: string;
  effective_at?: string;
  [key: string]: unknown;
}

export interface RefundEligibility {
  purchase_id: string;
  eligible?: boolean;
  amount: number;
  currency: string;
  deadline: string | null;
  [key: string]: unknown;
}

export interface RefundClaim {
  id: string;
  status: string;
  amount: number;
  currency: string;
  [key: string]: unknown;
}
