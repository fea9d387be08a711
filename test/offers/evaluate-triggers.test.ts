import { evaluateOffers } from '../../src/offers/evaluate-offers';
import type { EvaluationInput } from '../../src/offers/offers.types';
import { account, daysAgo, daysLater, input, NOW, rule, settings, subscription, usage } from './support/offer-fixtures';

type Case = [name: string, trigger: unknown, overrides: Partial<EvaluationInput>, fires: boolean];

const withRule = (
  trigger: unknown,
  overrides: Partial<EvaluationInput>,
  offer: unknown = { type: 'plan', plan: 'premium' },
) =>
  input({
    rules: settings({ rules: [rule({ id: 'r', trigger, offer, placements: ['dashboard', 'feature_gate'] })] }),
    ...overrides,
  });

const crossing = (feature: string, threshold: number, periodStart: Date) => ({
  feature,
  threshold,
  periodStart,
  crossedAt: NOW,
});
const period = { start: daysAgo(10), end: daysLater(20) };

describe('evaluateOffers: every trigger fires exactly when it should', () => {
  const cases: Case[] = [
    [
      'usage at 88% fires an 80% threshold',
      { type: 'usage_threshold', percent: 80 },
      { usage: usage({ projects: { used: 22, limit: 25 } }) },
      true,
    ],
    [
      'usage at 50% does not fire an 80% threshold',
      { type: 'usage_threshold', percent: 80 },
      { usage: usage({ projects: { used: 12, limit: 25 } }) },
      false,
    ],
    [
      'a threshold on another feature does not fire',
      { type: 'usage_threshold', feature: 'seats', percent: 80 },
      { usage: usage({ projects: { used: 24, limit: 25 }, seats: { used: 2, limit: 10 } }) },
      false,
    ],
    [
      'unlimited features never fire a threshold',
      { type: 'usage_threshold', percent: 80 },
      { usage: usage({ projects: { used: 900, limit: null } }) },
      false,
    ],
    [
      'a crossing recorded this period fires even when the level fell back',
      { type: 'usage_threshold', percent: 80 },
      { usage: usage({ seats: { used: 5, limit: 10 } }, { period, crossings: [crossing('seats', 80, period.start)] }) },
      true,
    ],
    [
      'a crossing of an earlier period does not fire',
      { type: 'usage_threshold', percent: 80 },
      { usage: usage({ seats: { used: 5, limit: 10 } }, { period, crossings: [crossing('seats', 80, daysAgo(40))] }) },
      false,
    ],
    [
      'feature gate: a boolean feature the plan lacks',
      { type: 'feature_gate' },
      { placement: 'feature_gate', feature: 'resource_allocation' },
      true,
    ],
    [
      'feature gate: a feature the plan has does not fire',
      { type: 'feature_gate' },
      { placement: 'feature_gate', feature: 'time_tracking', usage: usage({}, { enabled: ['time_tracking'] }) },
      false,
    ],
    [
      'feature gate: a metered feature at its limit',
      { type: 'feature_gate', feature: 'projects' },
      { placement: 'feature_gate', feature: 'projects', usage: usage({ projects: { used: 25, limit: 25 } }) },
      true,
    ],
    [
      'feature gate: only at the feature_gate placement',
      { type: 'feature_gate' },
      { placement: 'dashboard', feature: 'resource_allocation' },
      false,
    ],
    [
      'feature gate: a rule for another feature stays quiet',
      { type: 'feature_gate', feature: 'sso' },
      { placement: 'feature_gate', feature: 'resource_allocation' },
      false,
    ],
    [
      '15 days after sign-up, a 14-day rule fires',
      { type: 'days_after_signup', days: 14 },
      { account: account({ signedUpAt: daysAgo(15) }) },
      true,
    ],
    [
      '13 days after sign-up it is too early',
      { type: 'days_after_signup', days: 14 },
      { account: account({ signedUpAt: daysAgo(13) }) },
      false,
    ],
    [
      'after the window it is over',
      { type: 'days_after_signup', days: 14, within_days: 7 },
      { account: account({ signedUpAt: daysAgo(22) }) },
      false,
    ],
    [
      'days after purchase: 8 days after buying Pro',
      { type: 'days_after_purchase', purchase: { plan: 'pro' }, days: 7 },
      { subscription: subscription({ planSince: daysAgo(8) }) },
      true,
    ],
    [
      'days after purchase: 6 days is too early',
      { type: 'days_after_purchase', purchase: { plan: 'pro' }, days: 7 },
      { subscription: subscription({ planSince: daysAgo(6) }) },
      false,
    ],
    [
      'days after purchase: another plan was bought',
      { type: 'days_after_purchase', purchase: { plan: 'premium' }, days: 7 },
      { subscription: subscription({ planSince: daysAgo(8) }) },
      false,
    ],
    [
      'days after purchase of an add-on',
      { type: 'days_after_purchase', purchase: { add_on: 'seo_setup' }, days: 2 },
      { purchases: [{ kind: 'add_on', code: 'seo_setup', at: daysAgo(3) }] },
      true,
    ],
    [
      '5 days before renewal, a 10-day rule fires',
      { type: 'days_before_renewal', days: 10 },
      { subscription: subscription({ currentPeriodEnd: daysLater(5) }) },
      true,
    ],
    [
      '15 days before renewal it is too early',
      { type: 'days_before_renewal', days: 10 },
      { subscription: subscription({ currentPeriodEnd: daysLater(15) }) },
      false,
    ],
    [
      'no renewal offer when the subscription is ending',
      { type: 'days_before_renewal', days: 10 },
      { subscription: subscription({ currentPeriodEnd: daysLater(5), cancelAtPeriodEnd: true }) },
      false,
    ],
    ['no renewal offer on the free plan', { type: 'days_before_renewal', days: 10 }, { subscription: null }, false],
    [
      'monthly for 4 months: the annual switch fires',
      { type: 'monthly_to_annual', after_months: 3 },
      { subscription: subscription({ startedAt: daysAgo(120) }) },
      true,
    ],
    [
      'monthly for 2 months is too early',
      { type: 'monthly_to_annual', after_months: 3 },
      { subscription: subscription({ startedAt: daysAgo(60) }) },
      false,
    ],
    [
      'already yearly: no annual switch',
      { type: 'monthly_to_annual', after_months: 3 },
      { subscription: subscription({ startedAt: daysAgo(400), interval: 'year' }) },
      false,
    ],
    [
      'inside a seasonal window',
      { type: 'seasonal', starts_at: '2026-11-20T00:00:00Z', ends_at: '2026-12-01T00:00:00Z' },
      {},
      true,
    ],
    [
      'before a seasonal window',
      { type: 'seasonal', starts_at: '2026-12-01T00:00:00Z', ends_at: '2027-01-01T00:00:00Z' },
      {},
      false,
    ],
    [
      'after a seasonal window (the end is exclusive)',
      { type: 'seasonal', starts_at: '2026-11-01T00:00:00Z', ends_at: '2026-11-22T12:00:00Z' },
      {},
      false,
    ],
  ];

  test.each(cases)('%s', (_name, trigger, overrides, fires) => {
    const prompts = evaluateOffers(withRule(trigger, overrides));
    expect(prompts.length).toBe(fires ? 1 : 0);
  });

  it('a seasonal prompt carries its real end date; other prompts have none', () => {
    const [seasonal] = evaluateOffers(
      withRule({ type: 'seasonal', starts_at: '2026-11-20T00:00:00Z', ends_at: '2026-12-01T00:00:00Z' }, {}),
    );
    expect(seasonal?.endsAt?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    const [usageBased] = evaluateOffers(
      withRule({ type: 'usage_threshold', percent: 80 }, { usage: usage({ projects: { used: 22, limit: 25 } }) }),
    );
    expect(usageBased?.endsAt).toBeNull();
  });

  it('a usage prompt explains itself with the feature, the percent and the projected limit date', () => {
    const limitAt = daysLater(4);
    const facts = usage({ api_calls: { used: 42500, limit: 50000 } });
    facts.features[0] = { ...facts.features[0]!, projectedLimitAt: limitAt };
    const [prompt] = evaluateOffers(withRule({ type: 'usage_threshold', percent: 80 }, { usage: facts }));
    expect(prompt?.reason).toEqual({
      trigger: 'usage_threshold',
      feature: 'api_calls',
      percent: 85,
      threshold: 80,
      projectedLimitAt: limitAt,
    });
  });
});
