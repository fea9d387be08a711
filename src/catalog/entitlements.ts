import { findAddOn, findPlan } from './catalog-lookup';
import type { Catalog, Limit } from './catalog.types';

export interface AddOnHolding {
  code: string;
  quantity: number;
}

/** What an account may use: per metered feature its limit, per boolean feature whether it is on. */
export interface Entitlements {
  limits: Record<string, Limit>;
  enabled: Record<string, boolean>;
}

/**
 * Plan limits plus the capacity of the add-ons held (extra_seats × 5 adds 5 seats);
 * unlimited stays unlimited. Unknown add-on codes add nothing (an archived add-on
 * still on a subscription keeps its Stripe price but no longer grants capacity here).
 */
export function entitlementsFor(input: {
  catalog: Catalog;
  plan: string;
  addOns?: readonly AddOnHolding[];
}): Entitlements {
  const plan = findPlan(input.catalog, input.plan);
  if (!plan) throw new Error(`unknown plan "${input.plan}"`);
  const limits: Record<string, Limit> = {};
  const enabled: Record<string, boolean> = {};
  for (const feature of input.catalog.features) {
    if (feature.type === 'metered') limits[feature.code] = plan.limits[feature.code] ?? 0;
    else enabled[feature.code] = plan.includes.includes(feature.code);
  }
  for (const holding of input.addOns ?? []) {
    const addOn = findAddOn(input.catalog, holding.code);
    if (!addOn) continue;
    for (const [feature, perUnit] of Object.entries(addOn.adds)) {
      const current = limits[feature];
      if (current !== undefined && current !== 'unlimited') limits[feature] = current + perUnit * holding.quantity;
    }
    for (const feature of addOn.enables) enabled[feature] = true;
  }
  return { limits, enabled };
}
