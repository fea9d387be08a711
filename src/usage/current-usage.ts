import type { Catalog, Feature } from '../catalog/catalog.types';
import { recurringPeriodAt, type Period, type PeriodSource, type Recurrence } from './billing-period';

/**
 * A feature's recurrence: a counter's own catalog `period` (API calls "per month" reset monthly
 * whatever the plan's billing interval); gauges, levels that carry over, and counters without
 * a `period` follow the billing period.
 */
export function recurrenceOf(feature: Feature | undefined): Recurrence {
  return feature?.type === 'metered' && feature.kind === 'counter' && feature.period ? feature.period : 'billing';
}

const recurrenceMaps = new WeakMap<Catalog, Map<string, Recurrence>>();

/** Feature code → recurrence, built once per catalog; an unknown code follows the billing period. */
export function recurrencesOf(catalog: Catalog): (feature: string) => Recurrence {
  let map = recurrenceMaps.get(catalog);
  if (!map) recurrenceMaps.set(catalog, (map = new Map(catalog.features.map((f) => [f.code, recurrenceOf(f)]))));
  const known = map;
  return (feature) => known.get(feature) ?? 'billing';
}

/** Feature code → the period containing one instant, computed once per recurrence. */
export type PeriodOf = (feature: string) => Period;

/** The periods of every feature of `catalog` that contain `at`. */
export function featurePeriodsAt(catalog: Catalog, source: PeriodSource, at: Date): PeriodOf {
  const recurrence = recurrencesOf(catalog);
  const periods = new Map<Recurrence, Period>();
  return (feature) => {
    const every = recurrence(feature);
    let period = periods.get(every);
    if (!period) periods.set(every, (period = recurringPeriodAt(source, every, at)));
    return period;
  };
}

export interface CurrentUsageInput {
  catalog: Catalog;
  source: PeriodSource;
  /** Per counter feature: its latest stored period (by start) and the total in it. */
  counters: ReadonlyMap<string, { periodStartMs: number; used: number }>;
  gauges: ReadonlyMap<string, number>;
  at: Date;
}

export interface CurrentUsage {
  /** Metered feature → use at `at`: a counter's total in its own current period, a gauge's level. */
  used: Map<string, number>;
  periodOf: PeriodOf;
}

/**
 * What each metered feature has used as of `at`. NOTE: the one place that decides which stored
 * counter row is current: entitlements, checks, reports and the offers engine all read through it,
 * so a prompt never disagrees with the meter.
 */
export function currentUsage(input: CurrentUsageInput): CurrentUsage {
  const periodOf = featurePeriodsAt(input.catalog, input.source, input.at);
  const used = new Map<string, number>();
  for (const feature of input.catalog.features) {
    if (feature.type !== 'metered') continue;
    if (feature.kind === 'gauge') {
      used.set(feature.code, input.gauges.get(feature.code) ?? 0);
    } else {
      const counter = input.counters.get(feature.code);
      used.set(feature.code, counter?.periodStartMs === periodOf(feature.code).start.getTime() ? counter.used : 0);
    }
  }
  return { used, periodOf };
}
