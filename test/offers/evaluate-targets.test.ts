import { evaluateOffers } from '../../src/offers/evaluate-offers';
import type { EvaluationInput, OfferTarget } from '../../src/offers/offers.types';
import { account, input, rule, settings, subscription, usage } from './support/offer-fixtures';

const always = { type: 'days_after_signup', days: 0, within_days: 3650 };

function target(offer: unknown, overrides: Partial<EvaluationInput> = {}, kind = 'upsell'): OfferTarget | undefined {
  const rules = settings({ rules: [rule({ id: 'r', kind, trigger: always, offer })] });
  return evaluateOffers(input({ rules, ...overrides }))[0]?.target;
}

const fits = { type: 'smallest_plan_that_fits' };

describe('evaluateOffers: the upgrade target is the smallest plan that fits', () => {
  test.each([
    ['free at its project limit → Pro', null, { projects: { used: 3, limit: 3 } }, 'pro'],
    [
      'free with 22 projects (current use fits Pro’s 25; no headroom) → Pro',
      null,
      { projects: { used: 22, limit: 3 } },
      'pro',
    ],
    ['free with 26 projects (over Pro’s 25) → Premium', null, { projects: { used: 26, limit: 3 } }, 'premium'],
    [
      // The shared smallest-upgrade rule reads current use, as GET /v1/entitlements/:feature does: not the pace.
      'free whose API pace projects past Pro → Pro (current use, not projection)',
      null,
      { api_calls: { used: 900, limit: 1000, projected: 45000 } },
      'pro',
    ],
    [
      'free using 60,000 API calls (over Pro’s 50,000) → Premium',
      null,
      { api_calls: { used: 60000, limit: 1000 } },
      'premium',
    ],
    ['Pro at 85% of its API calls → Premium', 'pro', { api_calls: { used: 42500, limit: 50000 } }, 'premium'],
    ['Premium, the top plan: nothing to upsell', 'premium', { seats: { used: 48, limit: 50 } }, undefined],
  ])('%s', (_name, plan, levels, expected) => {
    const found = target(fits, { subscription: plan ? subscription({ planCode: plan }) : null, usage: usage(levels) });
    expect(found?.code).toBe(expected);
  });

  it('a feature gate needs a plan that includes the feature', () => {
    const rules = settings({
      rules: [rule({ id: 'r', trigger: { type: 'feature_gate' }, offer: fits, placements: ['feature_gate'] })],
    });
    const [prompt] = evaluateOffers(
      input({ rules, subscription: null, placement: 'feature_gate', feature: 'sso', usage: usage({}) }),
    );
    expect(prompt?.target.code).toBe('premium');
  });

  it('prices the target in the price list of the account’s country (free account in Japan: yen)', () => {
    const found = target(fits, {
      subscription: null,
      account: account({ country: 'JP' }),
      usage: usage({ projects: { used: 3, limit: 3 } }),
    });
    expect(found).toMatchObject({ type: 'plan', code: 'pro', amount: 2800, currency: 'jpy' });
  });

  it('a subscriber keeps the subscription’s currency', () => {
    const found = target(
      { type: 'plan', plan: 'premium' },
      { subscription: subscription({ currency: 'eur' }), account: account({ country: 'US' }) },
    );
    expect(found).toMatchObject({ amount: 4900, currency: 'eur' });
  });

  it('nothing is offered in a currency the catalog does not sell in', () => {
    expect(
      target({ type: 'plan', plan: 'premium' }, { subscription: subscription({ currency: 'chf' }) }),
    ).toBeUndefined();
  });

  it('a named plan below or equal to the current one is never offered as an upsell', () => {
    expect(
      target({ type: 'plan', plan: 'pro' }, { subscription: subscription({ planCode: 'premium' }) }),
    ).toBeUndefined();
    expect(target({ type: 'plan', plan: 'pro' })).toBeUndefined();
  });

  it('the annual switch offers the same plan yearly with its real saving', () => {
    expect(target({ type: 'annual_switch' })).toEqual({
      type: 'plan',
      code: 'pro',
      interval: 'year',
      amount: 19000,
      currency: 'usd',
      currentAmount: 1900,
      annualSaving: 12 * 1900 - 19000,
    });
    expect(target({ type: 'annual_switch' }, { subscription: subscription({ interval: 'year' }) })).toBeUndefined();
  });
});

describe('evaluateOffers: add-ons and bundles are offered only when they can be bought', () => {
  it('an add-on the account already holds is not offered again', () => {
    expect(target({ type: 'add_on', add_on: 'priority_support' }, {}, 'cross_sell')?.code).toBe('priority_support');
    const holding = subscription({ addOns: [{ code: 'priority_support', quantity: 1 }] });
    expect(
      target({ type: 'add_on', add_on: 'priority_support' }, { subscription: holding }, 'cross_sell'),
    ).toBeUndefined();
  });

  it('a one-time add-on already bought is not offered again', () => {
    const purchases = [{ kind: 'add_on' as const, code: 'seo_setup', at: new Date() }];
    expect(target({ type: 'add_on', add_on: 'seo_setup' }, { purchases }, 'cross_sell')).toBeUndefined();
  });

  it('an add-on not sold with the current plan is not offered (Premium includes priority support)', () => {
    expect(
      target(
        { type: 'add_on', add_on: 'priority_support' },
        { subscription: subscription({ planCode: 'premium' }) },
        'cross_sell',
      ),
    ).toBeUndefined();
  });

  it('a yearly-only add-on is not offered to a monthly subscription', () => {
    expect(target({ type: 'add_on', add_on: 'annual_maintenance' }, {}, 'cross_sell')).toBeUndefined();
    expect(
      target(
        { type: 'add_on', add_on: 'annual_maintenance' },
        { subscription: subscription({ interval: 'year' }) },
        'cross_sell',
      )?.amount,
    ).toBe(49000);
  });

  it('training made for another industry or region is not offered', () => {
    expect(target({ type: 'add_on', add_on: 'training_construction' }, {}, 'cross_sell')).toBeUndefined();
    expect(target({ type: 'add_on', add_on: 'training_agency' }, {}, 'cross_sell')?.amount).toBe(29900);
    expect(target({ type: 'add_on', add_on: 'training_central_asia' }, {}, 'cross_sell')).toBeUndefined();
    const uzbek = account({ country: 'UZ', industry: null });
    expect(
      target(
        { type: 'add_on', add_on: 'training_central_asia' },
        { account: uzbek, subscription: subscription({ currency: 'uzs' }) },
        'cross_sell',
      )?.amount,
    ).toBe(99000000);
  });

  it('a bundle shows its discount and saving', () => {
    expect(target({ type: 'bundle', bundle: 'pro_growth' }, { subscription: null }, 'bundle')).toEqual({
      type: 'bundle',
      code: 'pro_growth',
      interval: 'month',
      currency: 'usd',
      regular: 1900 + 1500 + 5 * 500,
      discount: 600,
      amount: 5300,
      renewal: 5300,
      percentOff: 15,
    });
  });

  it('a bundle whose plan the account already has (or is above) is not offered', () => {
    expect(target({ type: 'bundle', bundle: 'pro_growth' }, {}, 'bundle')).toBeUndefined();
    expect(target({ type: 'bundle', bundle: 'premium_training' }, {}, 'bundle')?.code).toBe('premium_training');
  });

  it('the recommended add-on is what the segment most often holds with what this account holds', () => {
    const coPurchases = { pro: { priority_support: 10, extra_seats: 30 }, extra_seats: { priority_support: 25 } };
    expect(target({ type: 'recommended_add_on' }, { coPurchases }, 'cross_sell')?.code).toBe('extra_seats');
    const holding = subscription({ addOns: [{ code: 'extra_seats', quantity: 2 }] });
    expect(target({ type: 'recommended_add_on' }, { coPurchases, subscription: holding }, 'cross_sell')?.code).toBe(
      'priority_support',
    );
    expect(target({ type: 'recommended_add_on' }, { coPurchases: {} }, 'cross_sell')).toBeUndefined();
  });
});
