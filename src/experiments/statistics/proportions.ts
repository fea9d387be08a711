import { twoSidedP, zForConfidence } from './normal-distribution';

export interface Interval {
  lower: number;
  upper: number;
}

export interface ProportionEstimate extends Interval {
  successes: number;
  trials: number;
  rate: number;
}

const Z95 = zForConfidence(0.95);

/**
 * Wilson's score interval (Wilson 1927; Newcombe 1998, method 3): unlike the textbook
 * p ± z·√(p(1−p)/n) it stays inside [0, 1] and keeps its coverage at small counts and rates
 * near 0 — exactly where an offer's conversion rate lives.
 */
export function wilsonInterval(successes: number, trials: number, z = Z95): ProportionEstimate {
  checkCounts(successes, trials);
  if (trials === 0) return { successes, trials, rate: 0, lower: 0, upper: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const centre = (2 * successes + z2) / (2 * (trials + z2));
  const halfWidth = (z * Math.sqrt(z2 + 4 * successes * (1 - p))) / (2 * (trials + z2));
  return {
    successes,
    trials,
    rate: p,
    lower: successes === 0 ? 0 : Math.max(0, centre - halfWidth),
    upper: successes === trials ? 1 : Math.min(1, centre + halfWidth),
  };
}

export interface ProportionDifference extends Interval {
  /** p_b − p_a */
  difference: number;
}

/**
 * p_b − p_a with Newcombe's hybrid score interval (Newcombe 1998, Statistics in Medicine
 * 17:873–890, method 10): each arm's Wilson limits combined by squaring and adding.
 */
export function proportionDifference(
  a: { successes: number; trials: number },
  b: { successes: number; trials: number },
  z = Z95,
): ProportionDifference {
  const wa = wilsonInterval(a.successes, a.trials, z);
  const wb = wilsonInterval(b.successes, b.trials, z);
  const difference = wb.rate - wa.rate;
  return {
    difference,
    lower: difference - Math.sqrt((wb.rate - wb.lower) ** 2 + (wa.upper - wa.rate) ** 2),
    upper: difference + Math.sqrt((wb.upper - wb.rate) ** 2 + (wa.rate - wa.lower) ** 2),
  };
}

export interface RelativeUplift extends Interval {
  /** p_b / p_a − 1; null when the baseline rate is 0. */
  uplift: number | null;
}

/**
 * Relative uplift p_b / p_a − 1 with the log risk-ratio interval (Katz et al. 1978):
 * ln RR ± z·√(1/x_b − 1/n_b + 1/x_a − 1/n_a). Undefined while either arm has no conversion.
 */
export function relativeUplift(
  a: { successes: number; trials: number },
  b: { successes: number; trials: number },
  z = Z95,
): RelativeUplift | null {
  if (a.successes === 0 || b.successes === 0 || a.trials === 0 || b.trials === 0) return null;
  const ratio = b.successes / b.trials / (a.successes / a.trials);
  const se = Math.sqrt(1 / b.successes - 1 / b.trials + 1 / a.successes - 1 / a.trials);
  return {
    uplift: ratio - 1,
    lower: Math.exp(Math.log(ratio) - z * se) - 1,
    upper: Math.exp(Math.log(ratio) + z * se) - 1,
  };
}

export interface ZTest {
  z: number;
  pValue: number;
}

/** The pooled two-proportion z-test of p_a = p_b, two-sided (z > 0 when b converts more). */
export function twoProportionZTest(
  a: { successes: number; trials: number },
  b: { successes: number; trials: number },
): ZTest {
  checkCounts(a.successes, a.trials);
  checkCounts(b.successes, b.trials);
  if (a.trials === 0 || b.trials === 0) return { z: 0, pValue: 1 };
  const pooled = (a.successes + b.successes) / (a.trials + b.trials);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials));
  if (se === 0) return { z: 0, pValue: 1 };
  const z = (b.successes / b.trials - a.successes / a.trials) / se;
  return { z, pValue: twoSidedP(z) };
}

function checkCounts(successes: number, trials: number): void {
  if (!Number.isInteger(successes) || !Number.isInteger(trials) || successes < 0 || successes > trials)
    throw new RangeError(`counts must be integers with 0 <= successes <= trials, got ${successes}/${trials}`);
}
