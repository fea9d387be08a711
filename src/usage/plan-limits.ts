import { findPlan } from '../catalog/catalog-lookup';
import type { Catalog, Limit } from '../catalog/catalog.types';
import { entitlementsFor, type AddOnHolding } from '../catalog/entitlements';

/** The free plan's code: the plan of every account without a granting subscription. */
export const FREE_PLAN = 'free';

export type HeldAddOn = AddOnHolding;

/** What an account may use: its plan, metered limits and boolean features. */
export interface PlanAllowance {
  planCode: string;
  /** Metered feature → limit (plan limit plus add-on capacity). */
  limits: ReadonlyMap<string, Limit>;
  /** Boolean features switched on by the plan or an add-on. */
  enabled: ReadonlySet<string>;
}

/**
 * The catalog's entitlements for a plan and held add-ons, as lookups. A plan code the catalog
 * no longer knows grants what the free plan grants, never more.
 */
export function planAllowance(catalog: Catalog, planCode: string, addOns: readonly HeldAddOn[]): PlanAllowance {
  const known = findPlan(catalog, planCode) ? planCode : FREE_PLAN;
  const granted = entitlementsFor({ catalog, plan: known, addOns });
  const enabled = Object.entries(granted.enabled)
    .filter(([, on]) => on)
    .map(([feature]) => feature);
  return { planCode: known, limits: new Map(Object.entries(granted.limits)), enabled: new Set(enabled) };
}
