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
  const crossed: number[] = [];
  if (limit === 'unlimited' || after <= before) return crossed;
  for (const percent of thresholds)
    if (reached(after, limit, percent) && !reached(before, limit, percent)) crossed.push(percent);
  return crossed.length > 1 ? crossed.sort((a, b) => a - b) : crossed;
}
