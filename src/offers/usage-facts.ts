import type { Catalog } from '../catalog/catalog.types';
import { periodAt } from '../usage/billing-period';
import { currentUsage } from '../usage/current-usage';
import { entitlementsOf } from '../usage/entitlement.rules';
import { planAllowance } from '../usage/plan-limits';
import { projectUsage } from '../usage/project-usage';
import type { OfferSubscription, UsageFacts } from './offers.types';

/** Usage rows as stored by the usage module, read beside the account in one round trip. */
export interface UsageLevelsRead {
  /** The latest period's total of each counter. */
  counters: Array<{ feature: string; periodStart: Date; used: number }>;
  gauges: Array<{ feature: string; value: number }>;
  /** Crossings of periods not yet over. */
  crossings: Array<{ feature: string; threshold: number; periodStart: Date; crossedAt: Date }>;
}

export interface UsageFactsInput {
  catalog: Catalog;
  signedUpAt: Date;
  subscription: (OfferSubscription & { billingCycleAnchor: Date }) | null;
  levels: UsageLevelsRead;
  now: Date;
  /** The plan of a reverse trial still running at `now` (issue #20): granted while there is no subscription. */
  reverseTrialPlan?: string | null;
}

/**
 * The evaluator's usage input, computed with the usage module's own pure rules (period,
 * allowance, entitlements, projection) from rows read in the offers context query.
 * NOTE: the same arithmetic as GET /v1/entitlements, so a prompt never disagrees with the meter.
 */
export function usageFactsOf(input: UsageFactsInput): UsageFacts {
  const { catalog, subscription, levels, now } = input;
  const source = { signedUpAt: input.signedUpAt, subscription };
  const period = periodAt(source, now);
  const { used, periodOf } = currentUsage({
    catalog,
    source,
    counters: new Map(
      levels.counters.map((c) => [c.feature, { periodStartMs: c.periodStart.getTime(), used: c.used }]),
    ),
    gauges: new Map(levels.gauges.map((g) => [g.feature, g.value])),
    at: now,
  });
  const allowance = planAllowance(
    catalog,
    subscription?.planCode ?? input.reverseTrialPlan ?? 'free',
    subscription?.addOns ?? [],
  );
  const facts: UsageFacts = { period, features: [], enabled: [...allowance.enabled], crossings: [] };
  for (const entitlement of entitlementsOf(catalog, allowance, used, periodOf)) {
    if (entitlement.type !== 'metered') continue;
    const projection = projectUsage({
      used: entitlement.used,
      limit: entitlement.limit ?? 'unlimited',
      period: entitlement.period,
      at: now,
      kind: entitlement.kind,
    });
    facts.features.push({
      feature: entitlement.feature,
      limit: entitlement.limit,
      used: entitlement.used,
      percent: entitlement.percent,
      projectedTotal: projection.projectedTotal,
      projectedLimitAt: projection.projectedLimitAt,
      period: entitlement.period,
    });
  }
  facts.crossings = levels.crossings.filter((c) => c.periodStart.getTime() === periodOf(c.feature).start.getTime());
  return facts;
}
