import type { Limit } from './catalog.types';

/** What the rule needs of a plan: its code, metered limits and boolean features. */
export interface UpgradeCandidate {
  code: string;
  limits: Readonly<Record<string, Limit>>;
  includes: readonly string[];
}

export interface SmallestUpgradeQuestion<P extends UpgradeCandidate> {
  /** The catalog's plans in tier order, lowest first. */
  plans: readonly P[];
  currentPlan: string;
  /** The feature that triggered the question (a gate, a limit, an entitlement check); absent: none. */
  feature?: string;
  /** The account's current use of each metered feature; a feature left out counts as 0. */
  usage: Readonly<Record<string, number>>;
  /** How many more of a metered `feature` the plan must leave room for (default 1). */
  requested?: number;
}

function room(limit: Limit | undefined, used: number): number {
  if (limit === 'unlimited') return Infinity;
  return (limit ?? 0) - used;
}

/** Does the plan grant the triggering feature: switched on, or room for `requested` more? */
function includesFeature(plan: UpgradeCandidate, q: SmallestUpgradeQuestion<UpgradeCandidate>): boolean {
  if (q.feature === undefined) return true;
  if (plan.includes.includes(q.feature)) return true;
  if (plan.limits[q.feature] === undefined) return false;
  return room(plan.limits[q.feature], q.usage[q.feature] ?? 0) >= (q.requested ?? 1);
}

/** Do the plan's limits hold what the account uses of every feature now? */
function holdsUsage(plan: UpgradeCandidate, usage: Readonly<Record<string, number>>): boolean {
  return Object.entries(usage).every(([feature, used]) => room(plan.limits[feature], used) >= 0);
}

/**
 * The one "smallest upgrade" rule of Tierlift, shared by `GET /v1/entitlements/:feature`
 * (`upgrade.plan`) and the prompts' `smallest_plan_that_fits` target, so both name the same plan:
 * the smallest plan above the current one that includes `feature` and whose limits hold the
 * account's current use of every feature; when none holds everything, the largest plan that
 * includes the feature; null when no plan above includes it (or the current plan is unknown).
 *
 * NOTE: current use only, no projection and no headroom. The entitlement check cannot cheaply
 * know a projection (it reads counters, not the pace of the period) and two rules drifted apart
 * ("upgrade: pro" beside a prompt offering Premium); current use is what both compute alike.
 * Held add-ons are not carried over: the plan alone must hold the use (see docs/i18n.md).
 */
export function smallestUpgrade<P extends UpgradeCandidate>(q: SmallestUpgradeQuestion<P>): P | null {
  const tier = q.plans.findIndex((plan) => plan.code === q.currentPlan);
  if (tier < 0) return null;
  const above = q.plans.slice(tier + 1).filter((plan) => includesFeature(plan, q));
  return above.find((plan) => holdsUsage(plan, q.usage)) ?? above[above.length - 1] ?? null;
}
