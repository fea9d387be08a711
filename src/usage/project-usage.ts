import type { Limit } from '../catalog/catalog.types';
import type { Period } from './billing-period';

export interface UsageProjection {
  /** Usage so far over the elapsed fraction of the period, rounded up. */
  projectedTotal: number;
  /** When the limit is reached at the current pace: `at` if already reached, null if not within the period. */
  projectedLimitAt: Date | null;
  /** Elapsed fraction of the period at `at`, 0..1. */
  elapsed: number;
}

/**
 * The least elapsed time a projection trusts: one day. Usage follows the working day, so an hour's
 * burst (a morning import, a demo) extrapolated over the month would upsell the largest plan when
 * the smallest one fits; a day is the shortest span whose pace means something for a month.
 */
const MIN_ELAPSED_MS = 24 * 3600 * 1000;

/**
 * Linear projection of a counter over its period: at the pace so far, where will it end and
 * when does it hit its limit? Gauges are levels, not rates — pass `kind: 'gauge'` and the
 * projection is the level itself.
 */
export function projectUsage(input: {
  used: number;
  limit: Limit;
  period: Period;
  at: Date;
  kind?: 'counter' | 'gauge';
}): UsageProjection {
  const { used, limit, period, at } = input;
  const length = period.end.getTime() - period.start.getTime();
  const elapsedMs = Math.min(Math.max(at.getTime() - period.start.getTime(), 0), length);
  const elapsed = length > 0 ? elapsedMs / length : 1;
  const reachedNow = limit !== 'unlimited' && used >= limit && used > 0;
  if (input.kind === 'gauge' || used <= 0) {
    return { projectedTotal: used, projectedLimitAt: reachedNow ? at : null, elapsed };
  }
  const paceMs = Math.max(elapsedMs, Math.min(MIN_ELAPSED_MS, length));
  const projectedTotal = Math.ceil((used * length) / paceMs);
  if (limit === 'unlimited') return { projectedTotal, projectedLimitAt: null, elapsed };
  if (reachedNow) return { projectedTotal, projectedLimitAt: at, elapsed };
  const limitAt = period.start.getTime() + (limit / used) * paceMs;
  return {
    projectedTotal,
    projectedLimitAt: limitAt < period.end.getTime() ? new Date(Math.ceil(limitAt)) : null,
    elapsed,
  };
}
