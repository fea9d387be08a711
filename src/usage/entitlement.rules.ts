import type { Catalog, Feature, Limit } from '../catalog/catalog.types';
import type { Period } from './billing-period';
import type { PlanAllowance } from './plan-limits';

export interface MeteredEntitlement {
  feature: string;
  type: 'metered';
  kind: 'counter' | 'gauge';
  /** null: unlimited. */
  limit: number | null;
  used: number;
  remaining: number | null;
  percent: number | null;
  period: Period;
}

export interface BooleanEntitlement {
  feature: string;
  type: 'boolean';
  enabled: boolean;
}

export type Entitlement = MeteredEntitlement | BooleanEntitlement;

/** What an account has used: counters of the current period, and gauge levels (which carry over). */
export type UsageLevels = ReadonlyMap<string, number>;

/** Percent of the limit used, one decimal; 100 (or more) when a limit of 0 is used at all. */
export function percentUsed(used: number, limit: number): number {
  if (limit === 0) return used > 0 ? 100 : 0;
  return Math.round((used * 1000) / limit) / 10;
}

export function meteredEntitlement(
  feature: Extract<Feature, { type: 'metered' }>,
  limit: Limit,
  used: number,
  period: Period,
): MeteredEntitlement {
  const finite = limit === 'unlimited' ? null : limit;
  return {
    feature: feature.code,
    type: 'metered',
    kind: feature.kind,
    limit: finite,
    used,
    remaining: finite === null ? null : Math.max(finite - used, 0),
    percent: finite === null ? null : percentUsed(used, finite),
    period,
  };
}

/** Every catalog feature's entitlement, in catalog order, each metered one over its own period. */
export function entitlementsOf(
  catalog: Catalog,
  allowance: PlanAllowance,
  usage: UsageLevels,
  periodOf: (feature: string) => Period,
): Entitlement[] {
  return catalog.features.map((feature): Entitlement => {
    if (feature.type === 'boolean')
      return { feature: feature.code, type: 'boolean', enabled: allowance.enabled.has(feature.code) };
    const limit = allowance.limits.get(feature.code) ?? 0;
    return meteredEntitlement(feature, limit, usage.get(feature.code) ?? 0, periodOf(feature.code));
  });
}

/** May `quantity` more be used? (Booleans: is the feature on?) */
export function isAllowed(entitlement: Entitlement, quantity: number): boolean {
  if (entitlement.type === 'boolean') return entitlement.enabled;
  return entitlement.limit === null || entitlement.used + quantity <= entitlement.limit;
}
