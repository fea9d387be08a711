import type { Catalog } from '../catalog/catalog.types';
import { smallestUpgrade } from '../catalog/smallest-upgrade';
import { FREE_PLAN, type HeldAddOn, type PlanAllowance } from './plan-limits';

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
  /** The account's current use of every metered feature (for the plan: see smallest-upgrade.ts). */
  usage: Readonly<Record<string, number>>;
}

function availableOn(addOn: Catalog['add_ons'][number], planCode: string): boolean {
  return addOn.available_on ? addOn.available_on.includes(planCode) : planCode !== FREE_PLAN;
}

/**
 * The smallest plan above the current one by the rule prompts share (catalog/smallest-upgrade.ts),
 * and the fewest units of a recurring add-on on the current plan that would allow the request.
 * Either may be null; both null means nothing in the catalog would allow it.
 */
export function upgradePath(q: UpgradeQuestion): UpgradePath {
  const used = q.usage[q.feature] ?? 0;
  const plan = smallestUpgrade({
    plans: q.catalog.plans,
    currentPlan: q.allowance.planCode,
    feature: q.feature,
    usage: q.usage,
    requested: Math.max(1, q.needed - used),
  });
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
