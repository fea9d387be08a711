import type { Limit } from '../catalog/catalog.types';

/** Whether `used` has reached `percent` of `limit` (integer arithmetic, no float rounding). */
export function reached(used: number, limit: number, percent: number): boolean {
  if (used <= 0) return false;
  return used * 100 >= percent * limit;
}

/**
 * The thresholds a change from `before` to `after` crosses, lowest first: each one that
 * `after` reaches and `before` did not. A jump over several thresholds crosses each of them.
 * An unlimited feature has no thresholds.
 */
export function crossedThresholds(
  before: number,
  after: number,
  limit: Limit,
  thresholds: readonly number[],
): number[] {
  if (limit === 'unlimited' || after <= before) return [];
  return [...thresholds].sort((a, b) => a - b).filter((p) => reached(after, limit, p) && !reached(before, limit, p));
}
