/** The parts of the admin API's answers the dashboard reads (see /openapi.json for the full shapes). */
export interface List<T> {
  object: 'list';
  data: T[];
  has_more?: boolean;
}

export type PriceMap = Record<string, number>;

export interface CatalogAnswer {
  version: string;
  live_version: string | null;
  locales: string[];
  catalog: {
    default_currency: string;
    default_price_list: string;
    plans: Array<{ code: string; trial_days?: number; prices?: { month?: PriceMap; year?: PriceMap } }>;
    add_ons: Array<{ code: string; type: string; prices?: { month?: PriceMap; year?: PriceMap } | PriceMap }>;
    bundles: Array<{ code: string }>;
    price_lists: Array<{ code: string; currency: string; countries?: string[]; price_point?: string }>;
  };
}

export interface OfferRule {
  id: string;
  enabled?: boolean;
  kind: string;
  trigger: { type: string } & Record<string, unknown>;
  audience?: Record<string, unknown>;
  offer: { type: string } & Record<string, unknown>;
  placements: string[];
  priority: number;
  copy?: string;
}

export interface Experiment {
  key: string;
  hypothesis: string;
  rule_id: string;
  status: 'draft' | 'running' | 'stopped';
  variants: Array<{ key: string; weight: number }>;
  holdout: number;
  planned_sample_size: number;
  primary_metric: { type: string; window_days: number };
  started_at: string | null;
  stopped_at: string | null;
}

export interface Proportion {
  successes: number;
  trials: number;
  rate: number;
  lower: number;
  upper: number;
}

export interface ExperimentResults {
  experiment: Experiment;
  currency: string | null;
  arms: Array<{
    variant: string;
    exposures: number;
    conversions: Proportion;
    revenue_per_account: { count: number; mean: number; lower: number; upper: number };
    refunds: Proportion;
    dismissals: Proportion;
  }>;
  sample_ratio: { statistic: number; p_value: number; mismatch: boolean };
  comparisons: Array<{
    control: string;
    treatment: string;
    difference: { value: number; lower: number; upper: number };
    relative_uplift: { value: number | null; lower: number; upper: number } | null;
    z_test: { z: number; p_value: number };
    verdict: { kind: string; words: string; breached: string[] };
  }>;
}

export interface FunnelRow {
  group: string;
  impressions: number;
  clicks: number;
  quotes: number;
  paid_changes: number;
  refunds: number;
  click_rate: number | null;
  conversion_rate: number | null;
}

export interface RevenueReport {
  period: { from: string; to: string };
  mrr: Array<{ currency: string; mrr: number; paying_accounts: number }>;
  movements: Array<{
    currency: string;
    new: number;
    expansion: number;
    contraction: number;
    churn: number;
    net: number;
  }>;
  /** What Stripe collected for payments made in the period: paid changes and renewals, net of refunds. */
  collected: Array<{
    currency: string;
    purchases: number;
    renewals: number;
    renewal_invoices: number;
    refunded: number;
    net: number;
  }>;
  lifetime_value: Array<{ currency: string; arpa: number | null; churn_rate: number | null; cltv: number | null }>;
  guarantee_refund_rate: number | null;
}

export interface Refund {
  id: string;
  status: 'pending' | 'succeeded' | 'failed';
  amount: number;
  currency: string;
  product: string;
  kind: string;
  source: string;
  within_policy: boolean;
  reason: string | null;
  confirmed: boolean;
  created_at: string;
}

export interface GuaranteePolicy {
  window_days: number;
  refund?: string;
  max_claims_per_year?: number;
}

export interface WebhookEvent {
  id: string;
  type: string;
  status: string;
  attempts: number;
  last_error: string | null;
  received_at: string;
}

export interface ReconciliationRun {
  id: string;
  trigger: string;
  started_at: string;
  finished_at: string;
  checked: number;
  changed: number;
}
