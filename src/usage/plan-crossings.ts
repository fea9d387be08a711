import { periodAt } from './billing-period';
import type { PlanAllowance } from './plan-limits';
import { projectUsage } from './project-usage';
import { crossedThresholds } from './threshold-crossings';
import { thresholdsFor } from './usage-thresholds';
import type { AccountUsageContext, CounterChange, GaugeChange, ThresholdCrossing } from './usage.types';

export interface CrossingInput {
  counters: readonly CounterChange[];
  gauges: readonly GaugeChange[];
  contexts: ReadonlyMap<string, AccountUsageContext>;
  allowanceOf: (context: AccountUsageContext) => PlanAllowance;
  now: Date;
}

/**
 * The threshold crossings a batch caused, each with its projection at `now`. A counter crosses
 * the thresholds between its total before and after the batch. A gauge carries no "before"
 * (a newer `set` may replace an older level), so every threshold its level reaches is proposed
 * and the store's unique key keeps the first per period.
 */
export function planCrossings(input: CrossingInput): ThresholdCrossing[] {
  const changes = [
    ...input.counters.map((c) => ({ ...c, kind: 'counter' as const, at: c.periodStart })),
    ...input.gauges.map((g) => ({
      accountId: g.accountId,
      feature: g.feature,
      before: 0,
      after: g.value,
      kind: 'gauge' as const,
      at: g.observedAt,
    })),
  ];
  const crossings: ThresholdCrossing[] = [];
  for (const change of changes) {
    const context = input.contexts.get(change.accountId);
    if (!context) continue;
    const limit = input.allowanceOf(context).limits.get(change.feature) ?? 0;
    const thresholds = crossedThresholds(change.before, change.after, limit, thresholdsFor(change.feature));
    if (thresholds.length === 0 || limit === 'unlimited') continue;
    const period = periodAt(context, change.at);
    const projection = projectUsage({ used: change.after, limit, period, at: input.now, kind: change.kind });
    for (const threshold of thresholds) {
      crossings.push({
        accountId: change.accountId,
        feature: change.feature,
        period,
        threshold,
        used: change.after,
        limit,
        projectedTotal: projection.projectedTotal,
        projectedLimitAt: projection.projectedLimitAt,
        crossedAt: input.now,
      });
    }
  }
  return crossings;
}
