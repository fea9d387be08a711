import type { DisplayMoney } from '../catalog/display-money';
import type { GuaranteeConditions } from '../guarantees/promised-guarantee';

/** A prompt as `GET /v1/prompts` returns it (API.md shape, plus what an honest prompt needs). */
export interface PromptView {
  id: string;
  kind: 'upsell' | 'cross_sell' | 'bundle';
  placement: string;
  offer: {
    type: 'plan' | 'addon' | 'bundle';
    code: string;
    name: string;
    interval: 'month' | 'year' | 'one_time';
    quantity: number;
    /** The exact price: what the customer pays per interval (a bundle: its first invoice). */
    price: DisplayMoney & { words: string };
    /**
     * `due_now`: `price` is what this account pays now (the quote's amount due, before tax);
     * `list`: the list price, and `price_note` says the amount due now (after credit for unused
     * time) is shown on the quote before paying; `after_trial`: the plan's free trial starts
     * first, nothing is due today and `price` is charged when it ends.
     */
    price_basis: 'due_now' | 'list' | 'after_trial';
    price_note: string | null;
    savings: (DisplayMoney & { words: string }) | null;
    /** Bundles: the regular price and the discount that makes the saving. */
    discount: { percent_off: number; regular_price: DisplayMoney } | null;
    renewal_terms: string;
    guarantee_days: number | null;
    /** The rules the guarantee comes with, as data; null when none is promised (or none stated). */
    guarantee_conditions: GuaranteeConditions | null;
  };
  copy: {
    title: string;
    body: string;
    cta: string;
    decline: string;
    snooze: string;
    never: string;
    locale: string;
    /** Benefits first: what the customer gains, in their words. */
    benefits: string[];
    details: string[];
    social_proof: string[];
    guarantee: string | null;
    /** The guarantee's conditions in plain words, the window first; empty when none is promised. */
    guarantee_terms: string[];
    /** Only when the offer has a real end date. */
    ends: string | null;
    compare: string;
    /** Members: why they cannot buy here and whom to ask. */
    ask_admin_note: string | null;
  };
  reason: {
    trigger: string;
    feature?: string;
    percent?: number;
    threshold?: number;
    projected_limit_at?: string | null;
    /** "Why am I seeing this", in plain words. */
    text: string;
  };
  actions: Array<{
    type: 'purchase' | 'ask_admin' | 'dismiss' | 'snooze' | 'never';
    label: string;
    quote?: Record<string, unknown>;
  }>;
  comparison_url: string;
  ends_at: string | null;
  tone: string;
  experiment?: { key: string; variant: string };
}
