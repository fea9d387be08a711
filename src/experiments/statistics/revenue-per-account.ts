import { studentTQuantile } from './student-t';

export interface MeanEstimate {
  /** Accounts counted, including those that paid nothing. */
  count: number;
  mean: number;
  standardDeviation: number;
  lower: number;
  upper: number;
}

/**
 * Revenue per exposed account (minor units, net of refunds) with a t interval on the mean:
 * mean ± t(0.975, n − 1) · s/√n. Revenue is skewed (most accounts pay nothing), but at the sample
 * sizes an experiment plans for the mean is near normal (central limit theorem).
 */
export function meanInterval(values: readonly number[], confidence = 0.95): MeanEstimate {
  const count = values.length;
  if (count === 0) return { count, mean: 0, standardDeviation: 0, lower: 0, upper: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / count;
  if (count === 1) return { count, mean, standardDeviation: 0, lower: mean, upper: mean };
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (count - 1);
  const standardDeviation = Math.sqrt(variance);
  const t = studentTQuantile(1 - (1 - confidence) / 2, count - 1);
  const halfWidth = (t * standardDeviation) / Math.sqrt(count);
  return { count, mean, standardDeviation, lower: mean - halfWidth, upper: mean + halfWidth };
}

export interface MeanDifference {
  difference: number;
  lower: number;
  upper: number;
}

/** b − a with Welch's interval (unequal variances; Welch–Satterthwaite degrees of freedom). */
export function meanDifference(a: MeanEstimate, b: MeanEstimate, confidence = 0.95): MeanDifference | null {
  if (a.count < 2 || b.count < 2) return null;
  const va = a.standardDeviation ** 2 / a.count;
  const vb = b.standardDeviation ** 2 / b.count;
  const difference = b.mean - a.mean;
  const se = Math.sqrt(va + vb);
  if (se === 0) return { difference, lower: difference, upper: difference };
  const degrees = (va + vb) ** 2 / (va ** 2 / (a.count - 1) + vb ** 2 / (b.count - 1));
  const t = studentTQuantile(1 - (1 - confidence) / 2, degrees);
  return { difference, lower: difference - t * se, upper: difference + t * se };
}
