import {
  chiSquareGoodnessOfFit,
  chiSquareIndependence,
  chiSquareSurvival,
} from '../../src/experiments/statistics/chi-square';
import { erf, normalCdf, zForConfidence } from '../../src/experiments/statistics/normal-distribution';
import { proportionDifference, twoProportionZTest, wilsonInterval } from '../../src/experiments/statistics/proportions';
import { sampleRatioCheck } from '../../src/experiments/statistics/sample-ratio';
import { studentTQuantile } from '../../src/experiments/statistics/student-t';

/** Rounded to the 4 decimals the published tables print. */
const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

describe('Wilson score interval (95%)', () => {
  // Newcombe RG. "Two-sided confidence intervals for the single proportion: comparison of seven
  // methods." Statistics in Medicine 1998;17:857–872, Table I, method 3 (score, no continuity correction).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0.0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('reproduces Newcombe (1998a) Table I for %i/%i', (k, n, lower, upper) => {
    const sut = wilsonInterval(k, n);
    expect([r4(sut.lower), r4(sut.upper)]).toEqual([lower, upper]);
  });

  it('is the whole [0, 1] with no trials, and never leaves it', () => {
    expect(wilsonInterval(0, 0)).toMatchObject({ lower: 0, upper: 1 });
    expect(wilsonInterval(5, 5).upper).toBe(1);
  });
});

describe('difference of two proportions (Newcombe hybrid score interval)', () => {
  // Newcombe RG. "Interval estimation for the difference between independent proportions: comparison
  // of eleven methods." Statistics in Medicine 1998;17:873–890, Table II, method 10. Rows are
  // (x1/n1, x2/n2) with the interval for p1 − p2; our function takes (a, b) and returns b − a.
  it.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [6, 7, 2, 7, 0.0582, 0.8062],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [0, 10, 0, 10, -0.2775, 0.2775],
    [10, 10, 0, 20, 0.6791, 1.0],
    [10, 10, 0, 10, 0.6075, 1.0],
  ])('reproduces Newcombe (1998b) Table II for %i/%i − %i/%i', (x1, n1, x2, n2, lower, upper) => {
    const sut = proportionDifference({ successes: x2, trials: n2 }, { successes: x1, trials: n1 });
    expect([r4(sut.lower), r4(sut.upper)]).toEqual([lower, upper]);
  });
});

describe('two-proportion z-test (pooled, two-sided)', () => {
  // Worked example of calculatorlib.com's "Two-Proportion Z-Test Calculator": 45/100 against 30/100,
  // pooled p = 0.375, SE = 0.068465, z = 2.1909, two-tailed p = 0.02846.
  it('reproduces the 45/100 vs 30/100 worked example', () => {
    const sut = twoProportionZTest({ successes: 30, trials: 100 }, { successes: 45, trials: 100 });
    expect(r4(sut.z)).toBe(2.1909);
    expect(r4(sut.pValue)).toBe(0.0285);
    expect(Math.round(sut.pValue * 1e5) / 1e5).toBe(0.02846);
  });

  it('agrees with the chi-square test of the same 2 × 2 table (z² = χ², one degree of freedom)', () => {
    // A second, independent route to the same p-value: the incomplete gamma function instead of erfc.
    const z = twoProportionZTest({ successes: 30, trials: 100 }, { successes: 45, trials: 100 });
    const table = chiSquareIndependence([
      [45, 55],
      [30, 70],
    ]);
    expect(table.statistic).toBeCloseTo(z.z ** 2, 12);
    expect(table.pValue).toBeCloseTo(z.pValue, 12);
  });

  it('is negative when A converts more, and 1 with nothing to compare', () => {
    expect(twoProportionZTest({ successes: 45, trials: 100 }, { successes: 30, trials: 100 }).z).toBeLessThan(0);
    expect(twoProportionZTest({ successes: 0, trials: 10 }, { successes: 0, trials: 10 }).pValue).toBe(1);
  });
});

describe('chi-square goodness of fit (sample-ratio mismatch)', () => {
  // SciPy reference, scipy.stats.chisquare, Examples: chisquare([16, 18, 16, 14, 12, 12]) →
  // (2.0, 0.84914503608460956); with f_exp=[16, 16, 16, 16, 16, 8] → (3.5, 0.62338762774958223).
  it('reproduces the SciPy chisquare example with equal shares', () => {
    const sut = chiSquareGoodnessOfFit([16, 18, 16, 14, 12, 12]);
    expect(sut.statistic).toBeCloseTo(2.0, 12);
    expect(sut.pValue).toBeCloseTo(0.84914503608460956, 10);
  });

  it('reproduces the SciPy chisquare example with given expected counts', () => {
    const sut = chiSquareGoodnessOfFit([16, 18, 16, 14, 12, 12], [16, 16, 16, 16, 16, 8]);
    expect(sut.statistic).toBeCloseTo(3.5, 12);
    expect(sut.pValue).toBeCloseTo(0.62338762774958223, 10);
  });

  it('flags a 50/50 experiment that exposed 5,200 against 4,800, not one that exposed 5,040 against 4,960', () => {
    // Hand-computed: χ² = 2·200²/5000 = 16 → p = P(χ²₁ ≥ 16) = 2(1 − Φ(4)) ≈ 6.3e-5 (below 0.001);
    // χ² = 2·40²/5000 = 0.64 → p = 2(1 − Φ(0.8)) = 0.4237 (Φ(0.8) = 0.78814 in any normal table).
    expect(sampleRatioCheck([5200, 4800], [50, 50])).toMatchObject({ statistic: 16, mismatch: true });
    const fine = sampleRatioCheck([5040, 4960], [50, 50]);
    expect(fine.mismatch).toBe(false);
    // Cross-check two ways: with one degree of freedom P(χ² ≥ x) = 2(1 − Φ(√x)).
    expect(fine.pValue).toBeCloseTo(2 * (1 - normalCdf(Math.sqrt(0.64))), 12);
    expect(r4(fine.pValue)).toBe(0.4237);
  });
});

describe('chi-square test of independence', () => {
  // SciPy reference, scipy.stats.chi2_contingency, Examples ("A two-way example (2 x 3)"):
  // [[10, 10, 20], [20, 20, 20]] → statistic 2.7777777777777777, p 0.24935220877729619, dof 2.
  it('reproduces the SciPy chi2_contingency 2 × 3 example', () => {
    const sut = chiSquareIndependence([
      [10, 10, 20],
      [20, 20, 20],
    ]);
    expect(sut.statistic).toBeCloseTo(2.7777777777777777, 12);
    expect(sut.degreesOfFreedom).toBe(2);
    expect(sut.pValue).toBeCloseTo(0.24935220877729619, 10);
  });
});

describe('the distributions underneath', () => {
  // Abramowitz & Stegun (1964), Table 7.1: erf(0.5) = 0.5204998778, erf(1) = 0.8427007929, erf(2) = 0.9953222650.
  it.each([
    [0.5, 0.5204998778],
    [1, 0.8427007929],
    [2, 0.995322265],
  ])('erf(%f) matches Abramowitz & Stegun Table 7.1', (x, expected) => {
    expect(erf(x)).toBeCloseTo(expected, 9);
  });

  it('gives z = 1.959964 for a 95% interval (A&S Table 26.5; NIST e-Handbook 1.3.6.7.1)', () => {
    expect(zForConfidence(0.95)).toBeCloseTo(1.959964, 6);
  });

  // NIST/SEMATECH e-Handbook of Statistical Methods, §1.3.6.7.2 "Critical values of the Student's t
  // distribution", column 0.975: ν = 1 → 12.706, ν = 10 → 2.228, ν = 30 → 2.042, ν = 100 → 1.984.
  it.each([
    [1, 12.706],
    [10, 2.228],
    [30, 2.042],
    [100, 1.984],
  ])('t(0.975, %i) matches the NIST table', (degrees, expected) => {
    expect(Math.round(studentTQuantile(0.975, degrees) * 1000) / 1000).toBe(expected);
  });

  // NIST e-Handbook §1.3.6.7.4 "Critical values of the chi-square distribution", upper tail 0.05:
  // ν = 1 → 3.841, ν = 2 → 5.991, ν = 10 → 18.307.
  it.each([
    [3.841, 1],
    [5.991, 2],
    [18.307, 10],
  ])('P(χ² ≥ %f) with %i degrees of freedom is 0.05 (NIST table)', (x, degrees) => {
    expect(chiSquareSurvival(x, degrees)).toBeCloseTo(0.05, 3);
  });
});
