import { plansAbove } from '../catalog/catalog-lookup';
import type { Catalog } from '../catalog/catalog.types';
import { FREE_PLAN, planAllowance, type HeldAddOn, type PlanAllowance } from './plan-limits';

/** The smallest change that would allow a request: a plan up the tiers, and/or units of an add-on. */
export interface UpgradePath {
  plan: string | null;
  addOn: { code: string; quantity: number } | null;
}

export interface UpgradeQuestion {
  catalog: Catalog;
  allowance: PlanAllowance;
  addOns: readonly HeldAddOn[];
  feature: string;
  /** For metered features: the total that must fit under the limit (used + requested). */
  needed: number;
}

function allows(allowance: PlanAllowance, feature: string, needed: number): boolean {
  const limit = allowance.limits.get(feature);
  if (limit !== undefined) return limit === 'unlimited' || needed <= limit;
  return allowance.enabled.has(feature);
}

function availableOn(addOn: Catalog['add_ons'][number], planCode: string): boolean {
  return addOn.available_on ? addOn.available_on.includes(planCode) : planCode !== FREE_PLAN;
}

/**
 * The first plan above the current one (tier order, never a downgrade) that allows the request
 * with the add-ons the account keeps, and the fewest units of a recurring add-on on the current
 * plan that would. Either may be null; both null means nothing in the catalog would allow it.
 */
export function upgradePath(q: UpgradeQuestion): UpgradePath {
  const plan = plansAbove(q.catalog, q.allowance.planCode).find((candidate) =>
    allows(planAllowance(q.catalog, candidate.code, q.addOns), q.feature, q.needed),
  );
  return { plan: plan?.code ?? null, addOn: addOnPath(q) };
}

function addOnPath(q: UpgradeQuestion): UpgradePath['addOn'] {
  const limit = q.allowance.limits.get(q.feature);
  for (const addOn of q.catalog.add_ons) {
    if (addOn.type !== 'recurring' || !availableOn(addOn, q.allowance.planCode)) continue;
    const held = q.addOns.find((h) => h.code === addOn.code)?.quantity ?? 0;
    if (limit === undefined) {
      if (addOn.enables.includes(q.feature) && held === 0) return { code: addOn.code, quantity: 1 };
      continue;
    }
    const perUnit = addOn.adds[q.feature];
    if (!perUnit || limit === 'unlimited') continue;
    const units = Math.ceil((q.needed - limit) / perUnit);
    if (addOn.per_unit) return { code: addOn.code, quantity: units };
    if (held === 0 && units <= 1 && q.needed <= limit + perUnit) return { code: addOn.code, quantity: 1 };
  }
  return null;
}
