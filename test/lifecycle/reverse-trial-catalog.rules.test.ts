import { reverseTrialPlan } from '../../src/catalog/catalog-reverse-trial.rules';
import { validateCatalog } from '../../src/catalog/validate-catalog';
import { demoRaw } from '../catalog/support/demo-catalog';

/** The catalog's reverse-trial option (issue #20): one paid plan, a bounded number of days. */
describe('reverse_trial_days in the catalog', () => {
  it('names the plan and its days; none by default', () => {
    const plain = validateCatalog(demoRaw());
    if (!plain.ok) throw new Error('demo catalog refused');
    expect(reverseTrialPlan(plain.catalog)).toBeNull();
    const raw = demoRaw();
    raw.plans[2].reverse_trial_days = 14;
    const result = validateCatalog(raw);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(reverseTrialPlan(result.catalog)).toMatchObject({ plan: { code: 'premium' }, days: 14 });
  });

  it('refuses it on the free plan, on two plans, and beyond 90 days', () => {
    const raw = demoRaw();
    raw.plans[0].reverse_trial_days = 7;
    raw.plans[1].reverse_trial_days = 14;
    raw.plans[2].reverse_trial_days = 14;
    const result = validateCatalog(raw);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      { path: 'plans[0].reverse_trial_days', message: 'a reverse trial needs a paid plan: this one is free' },
      {
        path: 'plans[1].reverse_trial_days',
        message: 'only one plan may have a reverse trial ("free" already has one)',
      },
      {
        path: 'plans[2].reverse_trial_days',
        message: 'only one plan may have a reverse trial ("free" already has one)',
      },
    ]);
    const long = demoRaw();
    long.plans[2].reverse_trial_days = 91;
    const refused = validateCatalog(long);
    expect(refused.ok ? [] : refused.problems.map((p) => p.path)).toEqual(['plans[2].reverse_trial_days']);
  });
});
