/**
 * The shapes of Tierlift's end-user API (shared/API.md) as a browser or Node frontend reads them.
 * Only the fields a frontend relies on are spelled out; the server may add more.
 */

import type { operations } from './api-types.generated';

/** The JSON body of an operation's answer, as the generated types (from /openapi.json) describe it. */
type JsonOf<Op, Code extends number> = Op extends {
  responses: Record<Code, { content: { 'application/json': infer B } }>;
}
  ? B
  : never;

/** Generated from the server's own response schemas (npm run generate:client-types): one source for the API's types. */
export type PromptList = JsonOf<operations['getV1Prompts'], 200>;
export type Prompt = PromptList['data'][number];
export type Quote = JsonOf<operations['postV1Quotes'], 201>;
export type EntitlementList = JsonOf<operations['getV1Entitlements'], 200>;
export type EntitlementCheck = JsonOf<operations['getV1EntitlementsByFeature'], 200>;
export type ComparisonTable = JsonOf<operations['getV1Plans'], 200>;
export type AccountView = JsonOf<operations['getV1Account'], 200>;

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
