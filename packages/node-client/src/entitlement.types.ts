/** One feature of an account, as GET /v1/entitlements/snapshot carries it. */
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

/** An account's entitlements at one instant, signed by the service. */
export interface EntitlementSnapshot {
  object: 'entitlement_snapshot';
  account_id: string;
  plan: string;
  issued_at: string;
  /** The snapshot is void from this instant (a period it counts in ends, or a reverse trial). */
  valid_until: string;
  entitlements: Entitlement[];
}

export interface SignedSnapshot {
  object: 'signed_entitlement_snapshot';
  snapshot: EntitlementSnapshot;
  signature: string;
}

/**
 * Why check() answered as it did. `snapshot`: from a verified snapshot no older than the staleness
 * bound; `unknown_account` / `unknown_feature`: the service does not know it (refused);
 * `fail_open` / `fail_closed`: no usable snapshot and the service could not be reached.
 */
export type DecisionSource = 'snapshot' | 'unknown_account' | 'unknown_feature' | 'fail_open' | 'fail_closed';

export interface EntitlementDecision {
  allowed: boolean;
  source: DecisionSource;
  /** The feature's entitlement when the answer comes from a snapshot. */
  entitlement?: Entitlement;
}
