import { smallestUpgrade, type UpgradeCandidate } from '../../src/catalog/smallest-upgrade';

// Plain data in tier order, shaped like the demo catalog (and a "business" tier to tell smallest from largest).
const plans: UpgradeCandidate[] = [
  { code: 'free', limits: { projects: 3, seats: 2, api_calls: 1000 }, includes: [] },
  { code: 'pro', limits: { projects: 25, seats: 10, api_calls: 50000 }, includes: ['time_tracking'] },
  { code: 'business', limits: { projects: 100, seats: 20, api_calls: 100000 }, includes: ['time_tracking', 'sso'] },
  {
    code: 'premium',
    limits: { projects: 'unlimited', seats: 50, api_calls: 500000 },
    includes: ['time_tracking', 'sso', 'priority_support'],
  },
];

const ask = (currentPlan: string, feature: string | undefined, usage: Record<string, number>, requested?: number) =>
  smallestUpgrade({ plans, currentPlan, feature, usage, requested })?.code ?? null;

describe('smallestUpgrade: the one rule entitlements and prompts share', () => {
  it('names the next plan up when it holds every feature’s current use', () => {
    expect(ask('free', 'api_calls', { api_calls: 500 })).toBe('pro');
    expect(ask('free', 'api_calls', { api_calls: 900 })).toBe('pro');
    expect(ask('free', 'api_calls', { api_calls: 1000 })).toBe('pro');
  });

  it('skips a plan whose limit the triggering feature already fills (no room for one more)', () => {
    expect(ask('free', 'api_calls', { api_calls: 50000 })).toBe('business');
    expect(ask('free', 'api_calls', { api_calls: 49999 })).toBe('pro');
  });

  it('skips a plan whose limits do not hold the current use of another feature', () => {
    expect(ask('free', 'api_calls', { api_calls: 1000, projects: 26 })).toBe('business');
    expect(ask('free', 'api_calls', { api_calls: 1000, seats: 21 })).toBe('premium');
    expect(ask('free', 'seats', { seats: 2, projects: 25 })).toBe('pro'); // exactly at a limit is held
  });

  it('when no plan holds everything, names the largest plan that includes the feature', () => {
    expect(ask('free', 'api_calls', { api_calls: 1000, seats: 80 })).toBe('premium');
    expect(ask('free', 'time_tracking', { seats: 80 })).toBe('premium');
  });

  it('a boolean feature needs a plan that includes it', () => {
    expect(ask('free', 'time_tracking', {})).toBe('pro');
    expect(ask('free', 'sso', {})).toBe('business');
    expect(ask('pro', 'priority_support', {})).toBe('premium');
    expect(ask('free', 'unknown_feature', {})).toBeNull();
  });

  it('never names the current plan or one below it; null at the top or for an unknown plan', () => {
    expect(ask('business', 'api_calls', { api_calls: 1000 })).toBe('premium');
    expect(ask('premium', 'api_calls', { api_calls: 600000 })).toBeNull();
    expect(ask('gold', 'api_calls', { api_calls: 1 })).toBeNull();
  });

  it('leaves room for a requested quantity of the triggering feature', () => {
    expect(ask('free', 'api_calls', { api_calls: 900 }, 49100)).toBe('pro');
    expect(ask('free', 'api_calls', { api_calls: 900 }, 49101)).toBe('business');
  });

  it('without a triggering feature, the smallest plan above that holds current use', () => {
    expect(ask('free', undefined, { projects: 30 })).toBe('business');
    expect(ask('free', undefined, {})).toBe('pro');
  });

  it('returns the caller’s own plan object (so callers keep their richer plan type)', () => {
    const found = smallestUpgrade({ plans, currentPlan: 'free', feature: 'sso', usage: {} });
    expect(found).toBe(plans[2]);
  });
});
