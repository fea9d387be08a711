import type { AddOn, Bundle, Catalog, Plan } from './catalog.types';

export function findPlan(catalog: Catalog, code: string): Plan | undefined {
  return catalog.plans.find((plan) => plan.code === code);
}

export function findAddOn(catalog: Catalog, code: string): AddOn | undefined {
  return catalog.add_ons.find((addOn) => addOn.code === code);
}

export function findBundle(catalog: Catalog, code: string): Bundle | undefined {
  return catalog.bundles.find((bundle) => bundle.code === code);
}

/** Position in tier order (0 = lowest); -1 when unknown. */
export function tierOf(catalog: Catalog, planCode: string): number {
  return catalog.plans.findIndex((plan) => plan.code === planCode);
}

/** Plans above `planCode` in tier order, nearest first. */
export function plansAbove(catalog: Catalog, planCode: string): Plan[] {
  const tier = tierOf(catalog, planCode);
  return tier < 0 ? [] : catalog.plans.slice(tier + 1);
}

/** The first paid tier above the current plan (or the first paid plan): the default recommendation. */
export function nextTier(catalog: Catalog, currentPlan: string | undefined): Plan | undefined {
  const candidates = currentPlan ? plansAbove(catalog, currentPlan) : catalog.plans;
  return candidates.find((plan) => plan.prices !== undefined);
}
