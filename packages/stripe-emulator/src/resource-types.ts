/**
 * The emulator stores resources in the JSON shape Stripe returns (API version
 * 2026-10-28.endive). These interfaces name the fields the emulator itself reads or writes.
 */
import type { BillingMode } from './billing/billing-mode';

export interface Resource {
  id: string;
  object: string;
  [field: string]: unknown;
}

export type Metadata = Record<string, string>;

export interface ListObject<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
  total_count?: number;
}

export interface Customer extends Resource {
  object: 'customer';
  balance: number;
  currency: string | null;
  email: string | null;
  name: string | null;
  invoice_settings: { default_payment_method: string | null; [field: string]: unknown };
  test_clock: string | null;
  metadata: Metadata;
  deleted?: true;
}

export interface Recurring {
  interval: 'day' | 'week' | 'month' | 'year';
  interval_count: number;
  usage_type: 'licensed';
  meter: null;
  trial_period_days: number | null;
}

export interface Price extends Resource {
  object: 'price';
  active: boolean;
  currency: string;
  currency_options?: Record<
    string,
    { unit_amount: number; unit_amount_decimal: string; tax_behavior: string; custom_unit_amount: null }
  >;
  lookup_key: string | null;
  nickname: string | null;
  product: string;
  recurring: Recurring | null;
  type: 'one_time' | 'recurring';
  unit_amount: number;
  metadata: Metadata;
}

export interface Product extends Resource {
  object: 'product';
  name: string;
  active: boolean;
}

export interface Period {
  start: number;
  end: number;
}

export interface SubscriptionItem extends Resource {
  object: 'subscription_item';
  created: number;
  current_period_start: number;
  current_period_end: number;
  price: Price;
  plan: Record<string, unknown>;
  quantity: number;
  subscription: string;
  metadata: Metadata;
  discounts: string[];
}

export type SubscriptionStatus =
  | 'incomplete'
  | 'incomplete_expired'
  | 'trialing'
  | 'active'
  | 'past_due'
  | 'canceled'
  | 'unpaid'
  | 'paused';

export interface Subscription extends Resource {
  object: 'subscription';
  customer: string;
  currency: string;
  status: SubscriptionStatus;
  items: ListObject<SubscriptionItem>;
  billing_cycle_anchor: number;
  cancel_at_period_end: boolean;
  cancel_at: number | null;
  canceled_at: number | null;
  ended_at: number | null;
  default_payment_method: string | null;
  discounts: string[];
  /** Absent on subscriptions stored before billing modes (read as classic). */
  billing_mode?: BillingMode;
  latest_invoice: string | null;
  pending_update: Record<string, unknown> | null;
  schedule: string | null;
  test_clock: string | null;
  trial_start: number | null;
  trial_end: number | null;
  metadata: Metadata;
}

export interface InvoiceLine extends Resource {
  object: 'line_item';
  amount: number;
  currency: string;
  description: string | null;
  period: Period;
  quantity: number | null;
  subscription: string | null;
  parent: {
    type: 'invoice_item_details' | 'subscription_item_details';
    invoice_item_details: {
      invoice_item: string;
      proration: boolean;
      proration_details: { credited_items: null };
      subscription: string | null;
    } | null;
    subscription_item_details: {
      invoice_item: string | null;
      proration: boolean;
      proration_details: { credited_items: null };
      subscription: string | null;
      subscription_item: string;
    } | null;
  };
  pricing: {
    type: 'price_details';
    price_details: { price: string; product: string };
    unit_amount_decimal: string | null;
  } | null;
}

export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'void' | 'uncollectible';

export interface Invoice extends Resource {
  object: 'invoice';
  created: number;
  customer: string;
  currency: string;
  status: InvoiceStatus;
  billing_reason: string;
  lines: ListObject<InvoiceLine>;
  subtotal: number;
  total: number;
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  starting_balance: number;
  ending_balance: number | null;
  attempt_count: number;
  attempted: boolean;
  next_payment_attempt: number | null;
  period_start: number;
  period_end: number;
  parent: {
    type: 'subscription_details';
    quote_details: null;
    subscription_details: { subscription: string; metadata: Metadata | null; subscription_proration_date?: number };
  } | null;
  status_transitions: {
    finalized_at: number | null;
    paid_at: number | null;
    voided_at: number | null;
    marked_uncollectible_at: number | null;
  };
  test_clock: string | null;
  metadata: Metadata;
}

export type PaymentIntentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'succeeded'
  | 'canceled';

export interface PaymentIntent extends Resource {
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  currency: string;
  customer: string | null;
  status: PaymentIntentStatus;
  payment_method: string | null;
  latest_charge: string | null;
  last_payment_error: Record<string, unknown> | null;
  next_action: Record<string, unknown> | null;
  client_secret: string;
  metadata: Metadata;
}

export interface Charge extends Resource {
  object: 'charge';
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  refunded: boolean;
  currency: string;
  customer: string | null;
  payment_intent: string | null;
  status: 'succeeded' | 'failed' | 'pending';
  disputed: boolean;
}

export interface TestClock extends Resource {
  object: 'test_helpers.test_clock';
  frozen_time: number;
  status: 'ready' | 'advancing' | 'internal_failure';
  name: string | null;
}

export interface WebhookEndpoint extends Resource {
  object: 'webhook_endpoint';
  url: string;
  enabled_events: string[];
  secret?: string;
  status: 'enabled' | 'disabled';
}

export interface StripeEvent extends Resource {
  object: 'event';
  type: string;
  created: number;
  data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
  pending_webhooks: number;
}
