import { evaluateOffers } from '../../src/offers/evaluate-offers';
import type { EvaluationInput } from '../../src/offers/offers.types';
import { account, input, rule, settings } from './support/offer-fixtures';

type Case = [name: string, audience: Record<string, unknown>, overrides: Partial<EvaluationInput>, admitted: boolean];

const always = { type: 'days_after_signup', days: 0, within_days: 3650 };
const evaluate = (audience: Record<string, unknown>, overrides: Partial<EvaluationInput>) =>
  evaluateOffers(
    input({
      rules: settings({
        rules: [rule({ id: 'r', trigger: always, audience, offer: { type: 'plan', plan: 'premium' } })],
      }),
      ...overrides,
    }),
  );

describe('evaluateOffers: audience filters', () => {
  const cases: Case[] = [
    ['no filter admits everyone', {}, {}, true],
    ['plans: the current plan is listed', { plans: ['pro'] }, {}, true],
    ['plans: the current plan is not listed', { plans: ['free'] }, {}, false],
    ['plans: no subscription means the free plan', { plans: ['free'] }, { subscription: null }, true],
    ['countries: listed', { countries: ['US', 'CA'] }, {}, true],
    ['countries: not listed', { countries: ['DE'] }, {}, false],
    [
      'regions: Uzbekistan is in Central Asia',
      { regions: ['central_asia'] },
      { account: account({ country: 'UZ' }) },
      true,
    ],
    ['regions: the US is not', { regions: ['central_asia'] }, {}, false],
    ['industries: listed', { industries: ['agency'] }, {}, true],
    ['industries: another industry', { industries: ['construction'] }, {}, false],
    [
      'industries: an account without one is not in a filtered audience',
      { industries: ['agency'] },
      { account: account({ industry: null }) },
      false,
    ],
    ['company sizes: listed', { company_sizes: ['11-50'] }, {}, true],
    ['company sizes: not listed', { company_sizes: ['1001+'] }, {}, false],
    ['roles: an owner', { roles: ['owner', 'admin'] }, { role: 'owner' }, true],
    ['roles: a member excluded', { roles: ['owner', 'admin'] }, { role: 'member' }, false],
  ];

  test.each(cases)('%s', (_name, audience, overrides, admitted) => {
    expect(evaluate(audience, overrides).length).toBe(admitted ? 1 : 0);
  });

  it('a rule only shows at its placements', () => {
    expect(evaluate({}, { placement: 'settings' })).toEqual([]);
  });

  it('a disabled rule never shows', () => {
    const rules = settings({
      rules: [rule({ id: 'r', trigger: always, enabled: false, offer: { type: 'plan', plan: 'premium' } })],
    });
    expect(evaluateOffers(input({ rules }))).toEqual([]);
  });
});
