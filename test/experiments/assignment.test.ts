import { assignVariant, hashToUnit, type AssignableExperiment } from '../../src/experiments/assignment';
import { chiSquareGoodnessOfFit, chiSquareIndependence } from '../../src/experiments/statistics/chi-square';

const accounts = Array.from({ length: 100_000 }, (_, i) => `acct_${i.toString(36).padStart(6, '0')}`);
const fiftyFifty = (key: string): AssignableExperiment => ({
  key,
  holdout: 0,
  variants: [
    { key: 'a', weight: 50 },
    { key: 'b', weight: 50 },
  ],
});
const variantOf = (experiment: AssignableExperiment, account: string) => {
  const assignment = assignVariant(experiment, account);
  return assignment.kind === 'variant' ? assignment.variant : 'holdout';
};

describe('assignVariant', () => {
  it('splits 100,000 accounts 50/50 within ±1%', () => {
    const experiment = fiftyFifty('upgrade_copy_test');
    const inB = accounts.filter((a) => variantOf(experiment, a) === 'b').length;
    expect(Math.abs(inB / accounts.length - 0.5)).toBeLessThan(0.01);
  });

  it('gives the same account the same variant on every call', () => {
    const experiment = fiftyFifty('upgrade_copy_test');
    for (const account of accounts.slice(0, 1000))
      expect(variantOf(experiment, account)).toBe(variantOf(experiment, account));
  });

  it('follows uneven weights and a holdout', () => {
    const experiment: AssignableExperiment = {
      key: 'discount_depth',
      holdout: 0.1,
      variants: [
        { key: 'a', weight: 1 },
        { key: 'b', weight: 3 },
      ],
    };
    const counts = { holdout: 0, a: 0, b: 0 } as Record<string, number>;
    for (const account of accounts) counts[variantOf(experiment, account)]! += 1;
    // Expected shares: holdout 10%, a 22.5%, b 67.5%; the goodness-of-fit test must not reject them.
    const fit = chiSquareGoodnessOfFit([counts.holdout!, counts.a!, counts.b!], [10, 22.5, 67.5]);
    expect(fit.pValue).toBeGreaterThan(0.001);
  });

  it('is uniform: hash values fall evenly into 20 bins', () => {
    const bins = new Array<number>(20).fill(0);
    for (const account of accounts) bins[Math.floor(hashToUnit('uniformity', account) * 20)]! += 1;
    expect(chiSquareGoodnessOfFit(bins).pValue).toBeGreaterThan(0.001);
  });

  it('assigns two experiments independently (chi-square test of independence on the 2 × 2 table)', () => {
    const first = fiftyFifty('timing_test');
    const second = fiftyFifty('copy_test');
    const table = [
      [0, 0],
      [0, 0],
    ];
    for (const account of accounts) {
      const row = variantOf(first, account) === 'a' ? 0 : 1;
      const column = variantOf(second, account) === 'a' ? 0 : 1;
      table[row]![column]! += 1;
    }
    expect(chiSquareIndependence(table).pValue).toBeGreaterThan(0.01);
  });
});
