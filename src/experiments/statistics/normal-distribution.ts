import { regularizedGammaP, regularizedGammaQ } from './gamma-function';

/**
 * The standard normal distribution. erf and erfc come from the regularized incomplete gamma
 * function (erf x = P(½, x²), erfc x = Q(½, x²); Abramowitz & Stegun 6.5.16 / 7.1), which keeps
 * about 15 significant digits — far beyond the 4 decimals the reports print — and keeps them in
 * the far tails where 1 − Φ would cancel.
 */

export function erf(x: number): number {
  if (x === 0) return 0;
  const value = regularizedGammaP(0.5, x * x);
  return x < 0 ? -value : value;
}

export function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  return regularizedGammaQ(0.5, x * x);
}

/** Φ(z): the probability that a standard normal variable is at most z. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** 1 − Φ(z), without cancellation for large z. */
export function normalSurvival(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** Two-sided p-value of a z statistic: P(|Z| ≥ |z|). */
export function twoSidedP(z: number): number {
  return Math.min(1, 2 * normalSurvival(Math.abs(z)));
}

// Acklam's rational approximation of the normal quantile (relative error 1.15e-9), then
// polished by Newton steps on the precise CDF above.
const A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628274631,
];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

const poly = (coefficients: number[], x: number) => coefficients.reduce((acc, c) => acc * x + c, 0);

/** Φ⁻¹(p): the z below which a standard normal variable falls with probability p. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile needs 0 < p < 1, got ${p}`);
  let x: number;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = poly(C, q) / (poly(D, q) * q + 1);
  } else if (p <= 1 - P_LOW) {
    const q = p - 0.5;
    const r = q * q;
    x = (poly(A, r) * q) / (poly(B, r) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -poly(C, q) / (poly(D, q) * q + 1);
  }
  for (let i = 0; i < 2; i++) {
    const density = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    x -= (normalCdf(x) - p) / density;
  }
  return x;
}

/** z for a two-sided interval at the given confidence (0.95 → 1.959963984540054). */
export function zForConfidence(confidence: number): number {
  return normalQuantile(1 - (1 - confidence) / 2);
}
