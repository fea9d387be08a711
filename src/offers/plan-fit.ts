import type { Catalog, Interval, Plan } from '../catalog/catalog.types';
import { tierOf } from '../catalog/catalog-lookup';
import { intervalAmount } from '../catalog/price-lists';
import type { FeatureUsage } from './offers.types';

export interface PlanFitInput {
  catalog: Catalog;
  currentPlan: string;
  currency: string;
  interval: Interval;
  usage: readonly FeatureUsage[];
  /** Spare room the plan must leave above projected use, in percent (20 → 1.2 × projected). */
  headroomPercent: number;
  /** A feature the plan must include (a feature gate). */
  requiredFeature?: string;
}

/** Does the plan's limit cover what the account will use this period, with headroom? */
export function planCovers(plan: Plan, usage: readonly FeatureUsage[], headroomPercent: number): boolean {
  return usage.every((u) => {
    const limit = plan.limits[u.feature];
    if (limit === undefined || limit === 'unlimited')
      return limit === 'unlimited' || Math.max(u.used, u.projectedTotal) === 0;
    return limit >= Math.ceil(Math.max(u.used, u.projectedTotal) * (1 + headroomPercent / 100));
  });
}

function grants(plan: Plan, feature: string | undefined, usage: readonly FeatureUsage[]): boolean {
  if (feature === undefined) return true;
  if (plan.includes.includes(feature)) return true;
  const limit = plan.limits[feature];
  if (limit === undefined) return false;
  const used = usage.find((u) => u.feature === feature)?.used ?? 0;
  return limit === 'unlimited' || limit > used;
}

/**
 * The smallest plan above the current one, sold in the account's currency, whose limits cover
 * projected usage with headroom (and that includes a gated feature). When none covers it all,
 * the largest such plan — it still helps most. Never the current plan or one below it.
 */
export function smallestPlanThatFits(input: PlanFitInput): Plan | null {
  const currentTier = tierOf(input.catalog, input.currentPlan);
  const above = input.catalog.plans.filter(
    (plan, tier) =>
      tier > currentTier &&
      plan.prices !== undefined &&
      intervalAmount(plan.prices, input.interval, input.currency) !== undefined &&
      grants(plan, input.requiredFeature, input.usage),
  );
  return above.find((plan) => planCovers(plan, input.usage, input.headroomPercent)) ?? above[above.length - 1] ?? null;
}
