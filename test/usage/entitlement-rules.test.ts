import { loadCatalog } from '../../src/catalog/load-catalog';
import { entitlementsOf, isAllowed } from '../../src/usage/entitlement.rules';
import { planAllowance } from '../../src/usage/plan-limits';
import { upgradePath } from '../../src/usage/upgrade-path';

const catalog = loadCatalog().catalog;
const period = { start: new Date('2026-04-01T00:00:00Z'), end: new Date('2026-05-01T00:00:00Z') };

describe('entitlements from plan and add-ons', () => {
  it('adds extra seats to the plan limit and reports use, remaining and percent', () => {
    const allowance = planAllowance(catalog, 'pro', [{ code: 'extra_seats', quantity: 3 }]);
    const sut = entitlementsOf(
      catalog,
      allowance,
      new Map([
        ['seats', 12],
        ['api_calls', 25000],
      ]),
      () => period,
    );
    expect(sut.find((e) => e.feature === 'seats')).toMatchObject({ limit: 13, used: 12, remaining: 1, percent: 92.3 });
    expect(sut.find((e) => e.feature === 'api_calls')).toMatchObject({
      limit: 50000,
      used: 25000,
      percent: 50,
      kind: 'counter',
    });
    expect(sut.find((e) => e.feature === 'time_tracking')).toEqual({
      feature: 'time_tracking',
      type: 'boolean',
      enabled: true,
    });
    expect(sut.find((e) => e.feature === 'sso')).toEqual({ feature: 'sso', type: 'boolean', enabled: false });
  });

  it('shows unlimited as a null limit that always allows', () => {
    const sut = entitlementsOf(
      catalog,
      planAllowance(catalog, 'premium', []),
      new Map([['projects', 10 ** 6]]),
      () => period,
    );
    const projects = sut.find((e) => e.feature === 'projects');
    expect(projects).toMatchObject({ limit: null, remaining: null, percent: null });
    expect(projects && isAllowed(projects, 10 ** 6)).toBe(true);
  });

  it('treats an unknown plan code as the free plan', () => {
    expect(planAllowance(catalog, 'gone_plan', []).limits.get('api_calls')).toBe(1000);
  });
});

describe('upgradePath', () => {
  const ask = (
    plan: string,
    feature: string,
    needed: number,
    addOns = [] as Array<{ code: string; quantity: number }>,
  ) => upgradePath({ catalog, allowance: planAllowance(catalog, plan, addOns), addOns, feature, needed, usage: {} });

  it('names the smallest plan up the tiers that fits, never a downgrade', () => {
    expect(ask('free', 'projects', 4)).toEqual({ plan: 'pro', addOn: null });
    expect(ask('free', 'projects', 26)).toEqual({ plan: 'premium', addOn: null });
    expect(ask('pro', 'api_calls', 60000)).toEqual({ plan: 'premium', addOn: null });
    expect(ask('premium', 'api_calls', 600000)).toEqual({ plan: null, addOn: null });
  });

  it('counts the extra seats needed on a paid plan, beside the plan that would fit', () => {
    expect(ask('pro', 'seats', 14)).toEqual({ plan: 'premium', addOn: { code: 'extra_seats', quantity: 4 } });
    expect(ask('pro', 'seats', 14, [{ code: 'extra_seats', quantity: 2 }])).toEqual({
      plan: 'premium',
      addOn: { code: 'extra_seats', quantity: 2 },
    });
    expect(ask('free', 'seats', 3)).toEqual({ plan: 'pro', addOn: null });
  });

  it('finds a plan or add-on that switches a boolean feature on', () => {
    expect(ask('free', 'sso', 1)).toEqual({ plan: 'premium', addOn: null });
    expect(ask('pro', 'priority_support', 1)).toEqual({
      plan: 'premium',
      addOn: { code: 'priority_support', quantity: 1 },
    });
  });
});
