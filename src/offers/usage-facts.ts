import type { UsageReport } from '../usage/usage-report';
import type { UsageFacts } from './offers.types';

/** What the offers engine needs from the usage module: one account's facts, or null if unknown. */
export type UsageFactsSource = (accountId: string) => Promise<UsageFacts | null>;

/** Adapter: the usage module's report (entitlements, projections, crossings) as the evaluator's plain input. */
export function usageFactsFrom(report: UsageReport): UsageFacts {
  const percentOf = new Map<string, number | null>();
  const enabled: string[] = [];
  for (const entitlement of report.entitlements) {
    if (entitlement.type === 'metered') percentOf.set(entitlement.feature, entitlement.percent);
    else if (entitlement.enabled) enabled.push(entitlement.feature);
  }
  return {
    period: report.period,
    features: report.projections.map((p) => ({
      feature: p.feature,
      limit: p.limit,
      used: p.used,
      percent: percentOf.get(p.feature) ?? null,
      projectedTotal: p.projectedTotal,
      projectedLimitAt: p.projectedLimitAt,
    })),
    enabled,
    crossings: report.crossings.map((c) => ({
      feature: c.feature,
      threshold: c.threshold,
      periodStart: c.period.start,
      crossedAt: c.crossedAt,
    })),
  };
}
