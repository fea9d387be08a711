import { meanDifference, meanInterval } from '../../src/experiments/statistics/revenue-per-account';
import { relativeUplift } from '../../src/experiments/statistics/proportions';
import { experimentVerdict } from '../../src/experiments/statistics/verdict';

const arm = (successes: number, trials: number) => ({ successes, trials });

describe('experimentVerdict', () => {
  it('never calls a winner before the planned sample size, however large the gap', () => {
    const sut = experimentVerdict({ control: arm(5, 100), treatment: arm(40, 100), plannedSampleSizePerVariant: 1000 });
    expect(sut.kind).toBe('insufficient_sample');
    expect(sut.words).toContain('100 of 1000');
  });

  it('calls B ahead when B converts more beyond chance at the planned size', () => {
    expect(
      experimentVerdict({ control: arm(100, 1000), treatment: arm(140, 1000), plannedSampleSizePerVariant: 1000 }).kind,
    ).toBe('b_ahead');
  });

  it('calls A ahead when B converts less beyond chance', () => {
    expect(
      experimentVerdict({ control: arm(140, 1000), treatment: arm(100, 1000), plannedSampleSizePerVariant: 1000 }).kind,
    ).toBe('a_ahead');
  });

  it('says no difference when the gap is within chance', () => {
    const sut = experimentVerdict({
      control: arm(100, 1000),
      treatment: arm(110, 1000),
      plannedSampleSizePerVariant: 1000,
    });
    expect(sut.kind).toBe('no_difference');
    expect(sut.words).toMatch(/^No difference detected \(p = 0\.\d{3}\)/);
  });

  it('reports a guardrail breach at once, even before the planned sample size', () => {
    const sut = experimentVerdict({
      control: arm(10, 200),
      treatment: arm(12, 200),
      plannedSampleSizePerVariant: 1000,
      guardrails: [
        { metric: 'refund_rate', control: arm(2, 200), treatment: arm(30, 200) },
        { metric: 'dismiss_rate', control: arm(50, 200), treatment: arm(52, 200) },
      ],
    });
    expect(sut).toMatchObject({ kind: 'guardrail_breach', breached: ['refund_rate'] });
  });

  it('puts a broken split before everything else', () => {
    expect(
      experimentVerdict({
        control: arm(100, 1000),
        treatment: arm(200, 1000),
        plannedSampleSizePerVariant: 10,
        sampleRatioMismatch: true,
      }).kind,
    ).toBe('sample_ratio_mismatch');
  });
});

describe('relativeUplift', () => {
  it('is B / A − 1 with a log risk-ratio interval around it', () => {
    // Hand-computed: RR = 0.45 / 0.30 = 1.5; SE(ln RR) = √(1/45 − 1/100 + 1/30 − 1/100) = 0.188562;
    // exp(ln 1.5 ± 1.959964·0.188562) − 1 = [0.0365, 1.1707].
    const sut = relativeUplift(arm(30, 100), arm(45, 100));
    expect(sut?.uplift).toBeCloseTo(0.5, 12);
    expect(sut?.lower).toBeCloseTo(0.0365, 4);
    expect(sut?.upper).toBeCloseTo(1.1707, 4);
  });

  it('is undefined while the baseline has no conversion', () => {
    expect(relativeUplift(arm(0, 100), arm(5, 100))).toBeNull();
  });
});

describe('revenue per exposed account', () => {
  it('counts accounts that paid nothing and gives a t interval on the mean', () => {
    // Hand-computed: values 0, 0, 0, 1000, 2000 → mean 600, s² = (3·600² + 400² + 1400²)/4 = 800000,
    // s = 894.427; t(0.975, 4) = 2.776 (NIST table) → 600 ± 2.776·894.427/√5 = [-510.6, 1710.6].
    const sut = meanInterval([0, 0, 0, 1000, 2000]);
    expect(sut.mean).toBe(600);
    expect(sut.standardDeviation).toBeCloseTo(894.427, 3);
    expect(sut.lower).toBeCloseTo(-510.6, 0);
    expect(sut.upper).toBeCloseTo(1710.6, 0);
  });

  it('compares two arms with a Welch interval', () => {
    const a = meanInterval([0, 0, 100, 100]);
    const b = meanInterval([100, 100, 200, 200]);
    const sut = meanDifference(a, b);
    expect(sut?.difference).toBe(100);
    expect(sut?.lower).toBeLessThan(100);
    expect(sut?.upper).toBeGreaterThan(100);
  });
});
