import { recurringPeriodAt, type Recurrence } from './billing-period';
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
  /** Each feature's recurrence (current-usage.ts): a counter's crossings belong to its own period. */
  recurrence: (feature: string) => Recurrence;
  now: Date;
}

/**
 * The threshold crossings a batch caused, each with its projection at `now`. A counter crosses
 * the thresholds between its total before and after the batch; a gauge those between its level
 * before the batch and the newer level the batch set (a level that stays above a threshold into
 * the next period has not crossed it there). The store's unique key keeps one per period.
 */
export function planCrossings(input: CrossingInput): ThresholdCrossing[] {
  const crossings: ThresholdCrossing[] = [];
  // NOTE: most changes of a batch cross nothing; the checks before any lookup keep them cheap.
  for (const c of input.counters) {
    if (c.after > c.before)
      addCrossings(input, crossings, c.accountId, c.feature, c.before, c.after, 'counter', c.periodStart);
  }
  for (const g of input.gauges) {
    if (g.value > g.before)
      addCrossings(input, crossings, g.accountId, g.feature, g.before, g.value, 'gauge', g.observedAt);
  }
  return crossings;
}

/** `at` is an instant of the period the change belongs to. */
function addCrossings(
  input: CrossingInput,
  out: ThresholdCrossing[],
  accountId: string,
  feature: string,
  before: number,
  after: number,
  kind: 'counter' | 'gauge',
  at: Date,
): void {
  const context = input.contexts.get(accountId);
  if (!context) return;
  const limit = input.allowanceOf(context).limits.get(feature) ?? 0;
  if (limit === 'unlimited') return;
  const thresholds = crossedThresholds(before, after, limit, thresholdsFor(feature));
  if (thresholds.length === 0) return;
  const period = recurringPeriodAt(context, input.recurrence(feature), at);
  const projection = projectUsage({ used: after, limit, period, at: input.now, kind });
  for (const threshold of thresholds) {
    out.push({
      accountId,
      feature,
      period,
      threshold,
      used: after,
      limit,
      projectedTotal: projection.projectedTotal,
      projectedLimitAt: projection.projectedLimitAt,
      crossedAt: input.now,
    });
  }
}
