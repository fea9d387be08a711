import { assignVariant, type AssignableExperiment } from '../../src/experiments/assignment';
import { twoProportionZTest } from '../../src/experiments/statistics/proportions';
import { experimentVerdict } from '../../src/experiments/statistics/verdict';

/** mulberry32: a tiny seeded PRNG, so every run is reproducible. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const experiment = (key: string): AssignableExperiment => ({
  key,
  holdout: 0,
  variants: [
    { key: 'a', weight: 1 },
    { key: 'b', weight: 1 },
  ],
});

/** Accounts assigned by the real hash; each converts with its arm's true rate. */
function simulate(seed: number, accounts: number, baseRate: number, uplift: number) {
  const random = seeded(seed);
  const arms = { a: { successes: 0, trials: 0 }, b: { successes: 0, trials: 0 } };
  const definition = experiment(`sim_${seed}`);
  for (let i = 0; i < accounts; i++) {
    const assignment = assignVariant(definition, `acct_${seed}_${i}`);
    const arm = assignment.kind === 'variant' && assignment.variant === 'b' ? arms.b : arms.a;
    const rate = arm === arms.b ? baseRate * (1 + uplift) : baseRate;
    arm.trials += 1;
    if (random() < rate) arm.successes += 1;
  }
  return arms;
}

describe('experiment statistics on simulated experiments (seeded)', () => {
  it('finds no difference in at least 90 of 100 runs without a planted effect', () => {
    let noDifference = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const arms = simulate(seed, 2000, 0.2, 0);
      const verdict = experimentVerdict({ control: arms.a, treatment: arms.b, plannedSampleSizePerVariant: 900 });
      if (verdict.kind === 'no_difference') noDifference += 1;
    }
    expect(noDifference).toBeGreaterThanOrEqual(90);
  });

  it('reports B ahead with p < 0.05 when B converts 30% better (2,000 accounts, 20% base rate)', () => {
    // NOTE: power at n ≈ 1,000 per arm, 20% → 26% is about 0.89 (z ≈ 3.2); this seed is one run, the next test is the power claim.
    const arms = simulate(2026, 2000, 0.2, 0.3);
    const verdict = experimentVerdict({ control: arms.a, treatment: arms.b, plannedSampleSizePerVariant: 900 });
    expect(verdict.kind).toBe('b_ahead');
    expect(twoProportionZTest(arms.a, arms.b).pValue).toBeLessThan(0.05);
  });

  it('detects the planted 30% uplift in most seeded runs (power)', () => {
    let ahead = 0;
    for (let seed = 101; seed <= 200; seed++) {
      const arms = simulate(seed, 2000, 0.2, 0.3);
      if (
        experimentVerdict({ control: arms.a, treatment: arms.b, plannedSampleSizePerVariant: 900 }).kind === 'b_ahead'
      )
        ahead += 1;
    }
    expect(ahead).toBeGreaterThanOrEqual(85);
  });
});
