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
  for (const c of input.counters) addCrossings(input, crossings, { ...c, kind: 'counter', at: c.periodStart });
  for (const g of input.gauges)
    addCrossings(input, crossings, { ...g, after: g.value, kind: 'gauge', at: g.observedAt });
  return crossings;
}

interface Change {
  accountId: string;
  feature: string;
  before: number;
  after: number;
  kind: 'counter' | 'gauge';
  /** An instant of the period the change belongs to. */
  at: Date;
}

function addCrossings(input: CrossingInput, out: ThresholdCrossing[], change: Change): void {
  const context = input.contexts.get(change.accountId);
  if (!context) return;
  const limit = input.allowanceOf(context).limits.get(change.feature) ?? 0;
  if (limit === 'unlimited') return;
  const thresholds = crossedThresholds(change.before, change.after, limit, thresholdsFor(change.feature));
  if (thresholds.length === 0) return;
  const period = recurringPeriodAt(context, input.recurrence(change.feature), change.at);
  const projection = projectUsage({ used: change.after, limit, period, at: input.now, kind: change.kind });
  for (const threshold of thresholds) {
    out.push({
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
