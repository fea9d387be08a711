import { experimentResults } from '../../src/experiments/experiment-results';
import type { ExposureOutcome } from '../../src/experiments/experiment-outcomes.repository';
import { experimentSchema } from '../../src/experiments/experiment.schema';

const definition = (fields: Record<string, unknown> = {}) =>
  experimentSchema.parse({
    key: 'e',
    hypothesis: 'h',
    rule_id: 'r',
    primary_metric: { type: 'conversion' },
    planned_sample_size: 4,
    variants: [
      { key: 'a', weight: 1 },
      { key: 'b', weight: 1 },
    ],
    ...fields,
  });

const outcome = (variant: string, fields: Partial<ExposureOutcome> = {}): ExposureOutcome => ({
  variant,
  country: 'US',
  plan: 'free',
  converted: false,
  revenue: 0,
  currency: null,
  refunded: false,
  dismissed: false,
  ...fields,
});

const paid = (variant: string, revenue: number, fields: Partial<ExposureOutcome> = {}) =>
  outcome(variant, { converted: true, revenue, currency: 'usd', ...fields });

describe('experimentResults', () => {
  it('counts each arm, the holdout included, and compares each variant with the first', () => {
    const sut = experimentResults(definition({ holdout: 0.2 }), [
      paid('a', 1900),
      outcome('a'),
      outcome('a'),
      outcome('a'),
      paid('b', 4900, { refunded: true }),
      paid('b', 4900),
      outcome('b', { dismissed: true }),
      outcome('b'),
      outcome('holdout'),
    ]);
    expect(sut.arms.map((a) => [a.variant, a.exposures, a.conversions.successes])).toEqual([
      ['a', 4, 1],
      ['b', 4, 2],
      ['holdout', 1, 0],
    ]);
    // Revenue per exposed account: a = 1900 / 4 = 475; b = 9800 / 4 = 2450 (hand-computed).
    expect(sut.arms[0]?.revenuePerAccount.mean).toBe(475);
    expect(sut.arms[1]?.revenuePerAccount.mean).toBe(2450);
    // Refund rate among converters: b 1/2; dismiss rate among exposed: b 1/4.
    expect(sut.arms[1]?.refunds.rate).toBe(0.5);
    expect(sut.arms[1]?.dismissals.rate).toBe(0.25);
    expect(sut.comparisons).toHaveLength(1);
    expect(sut.comparisons[0]).toMatchObject({ control: 'a', treatment: 'b', difference: { value: 0.25 } });
    expect(sut.currency).toBe('usd');
  });

  it('breaks conversions down by country and plan at exposure', () => {
    const sut = experimentResults(definition(), [
      paid('a', 100, { country: 'DE' }),
      outcome('a', { country: 'US', plan: 'pro' }),
      outcome('b', { country: 'DE', plan: 'pro' }),
    ]);
    expect(Object.keys(sut.breakdown.country)).toEqual(['DE', 'US']);
    expect(
      sut.breakdown.country.DE?.map((arm) => [arm.variant, arm.conversions.successes, arm.conversions.trials]),
    ).toEqual([
      ['a', 1, 1],
      ['b', 0, 1],
    ]);
    expect(Object.keys(sut.breakdown.plan)).toEqual(['free', 'pro']);
  });

  it('reads the winner from revenue when revenue per exposed account is the primary metric', () => {
    const arm = (variant: string, revenue: number) =>
      Array.from({ length: 50 }, (_, i) => (i < 25 ? paid(variant, revenue + i) : outcome(variant)));
    const sut = experimentResults(
      definition({ primary_metric: { type: 'revenue_per_account' }, planned_sample_size: 50 }),
      [...arm('a', 1000), ...arm('b', 5000)],
    );
    // Same conversion counts (25 of 50 each), so only revenue can tell them apart.
    expect(sut.comparisons[0]?.zTest.pValue).toBe(1);
    expect(sut.comparisons[0]?.verdict.kind).toBe('b_ahead');
  });

  it('flags a split that does not match the weights, whatever the conversions', () => {
    const outcomes = [
      ...Array.from({ length: 600 }, () => outcome('a')),
      ...Array.from({ length: 400 }, () => outcome('b')),
    ];
    const sut = experimentResults(definition({ planned_sample_size: 10 }), outcomes);
    expect(sut.sampleRatio.mismatch).toBe(true);
    expect(sut.comparisons[0]?.verdict.kind).toBe('sample_ratio_mismatch');
  });
});
