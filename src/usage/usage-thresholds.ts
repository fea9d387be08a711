/** Percent of the limit at which a crossing is recorded, unless a feature names its own. */
export const DEFAULT_THRESHOLDS: readonly number[] = [50, 80, 100];

/**
 * Per-feature thresholds. NOTE: the catalog format has no place for thresholds yet; when it
 * gains one, read it here and keep this map as the fallback.
 */
const THRESHOLDS_BY_FEATURE: Readonly<Record<string, readonly number[]>> = {};

export function thresholdsFor(feature: string): readonly number[] {
  return THRESHOLDS_BY_FEATURE[feature] ?? DEFAULT_THRESHOLDS;
}
