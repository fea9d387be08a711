import { intervalAmount } from '../catalog/price-lists';
import type { Catalog } from '../catalog/catalog.types';

export interface SmallerPlanAlternative {
  kind: 'smaller_plan';
  plan: string;
  interval: 'month' | 'year';
  price: { amount: number; currency: string };
  fits_usage: true;
}

/**
 * The smallest paid plan below the current one (catalog order is tier order) whose limits hold
 * what the account uses now (every metered feature: used ≤ limit), priced from the catalog in the
 * subscription's currency and interval; null when none fits or none is sold that way (pure).
 * NOTE: boolean features and add-ons are not weighed: a plan without a feature the account relies
 * on is still offered (the customer sees what it includes); it is an offer, never a change.
 */
export function smallerPlanAlternative(
  catalog: Catalog,
  current: { plan: string; interval: 'month' | 'year'; currency: string },
  used: ReadonlyMap<string, number>,
): SmallerPlanAlternative | null {
  const index = catalog.plans.findIndex((plan) => plan.code === current.plan);
  for (const plan of catalog.plans.slice(0, Math.max(0, index))) {
    if (!plan.prices) continue;
    const amount = intervalAmount(plan.prices, current.interval, current.currency);
    if (amount === undefined || amount <= 0) continue;
    const fits = Object.entries(plan.limits ?? {}).every(([feature, limit]) => {
      if (limit === 'unlimited') return true;
      return (used.get(feature) ?? 0) <= limit;
    });
    if (fits)
      return {
        kind: 'smaller_plan',
        plan: plan.code,
        interval: current.interval,
        price: { amount, currency: current.currency },
        fits_usage: true,
      };
  }
  return null;
}
