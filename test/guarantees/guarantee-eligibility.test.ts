import { guaranteesSchema } from '../../src/catalog/guarantee-policy.schema';
import { decideEligibility } from '../../src/guarantees/guarantee-eligibility';
import type { CoveredPurchase, EligibilityInput, PriorClaim } from '../../src/guarantees/guarantee.types';

const DAY = 86_400_000;
const PAID = new Date('2026-04-16T10:00:00Z');
const at = (ms: number) => new Date(PAID.getTime() + ms);

const policies = guaranteesSchema.parse({
  plan_upgrade: { window_days: 30, max_claims_per_year: 2, conditions: { max_usage_percent: 80 } },
  recurring_add_on: { window_days: 14, refund: 'unused_part' },
  one_time: { window_days: 7, conditions: { not_started: true } },
  regions: [{ code: 'eea_consumers', countries: 'eea', minimum_window_days: 14 }],
});

function purchase(overrides: Partial<CoveredPurchase> = {}): CoveredPurchase {
  return {
    id: 'pur_1',
    category: 'plan_upgrade',
    product: 'plan:premium',
    amount: 5000,
    currency: 'usd',
    paidAt: PAID,
    periodEnd: at(30 * DAY),
    startsAt: null,
    alreadyRefunded: 0,
    ...overrides,
  };
}

const claim = (overrides: Partial<PriorClaim> = {}): PriorClaim => ({
  purchaseId: 'pur_0',
  product: 'plan:pro',
  withinPolicy: true,
  at: at(-10 * DAY),
  ...overrides,
});

function sut(overrides: Partial<EligibilityInput> = {}) {
  return decideEligibility({
    policies,
    purchase: purchase(),
    country: 'US',
    priorClaims: [],
    usageShare: 0,
    now: at(DAY),
    ...overrides,
  });
}

describe('guarantee eligibility', () => {
  it.each([
    ['one day after paying', { now: at(DAY) }, { eligible: true, amount: 5000 }],
    ['exactly at the deadline', { now: at(30 * DAY) }, { eligible: true, amount: 5000 }],
    ['one second after the deadline', { now: at(30 * DAY + 1000) }, { eligible: false, reason: 'window_closed' }],
    ['a renewal', { purchase: purchase({ category: 'renewal' }) }, { eligible: false, reason: 'renewal_not_covered' }],
    ['an interval change', { purchase: purchase({ category: 'interval_change' }) }, { reason: 'not_covered' }],
    ['no policy at all', { policies: undefined }, { eligible: false, reason: 'not_covered' }],
    [
      'this purchase already claimed',
      { priorClaims: [claim({ purchaseId: 'pur_1' })] },
      { reason: 'already_refunded' },
    ],
    [
      'the same product claimed before',
      { priorClaims: [claim({ product: 'plan:premium' })] },
      { reason: 'already_claimed' },
    ],
    ['another product claimed before', { priorClaims: [claim()] }, { eligible: true }],
    [
      'a third covered claim within a year',
      { priorClaims: [claim({ product: 'plan:a' }), claim({ product: 'plan:b', purchaseId: 'pur_2' })] },
      { reason: 'cycling_limit' },
    ],
    [
      'old claims outside the year do not count',
      {
        priorClaims: [
          claim({ product: 'plan:a', at: at(-400 * DAY) }),
          claim({ product: 'plan:b', at: at(-366 * DAY) }),
        ],
      },
      { eligible: true },
    ],
    ['usage above the share', { usageShare: 0.81 }, { eligible: false, reason: 'usage_above_limit' }],
    ['usage at the share', { usageShare: 0.8 }, { eligible: true }],
    ['usage unknown', { usageShare: null }, { eligible: true }],
    ['part already refunded', { purchase: purchase({ alreadyRefunded: 1200 }) }, { eligible: true, amount: 3800 }],
    ['all already refunded', { purchase: purchase({ alreadyRefunded: 5000 }) }, { reason: 'nothing_to_refund' }],
  ])('%s', (_name, overrides, expected) => {
    expect(sut(overrides as Partial<EligibilityInput>)).toMatchObject(expected);
  });

  it('states the deadline: the payment plus the window', () => {
    expect(sut()).toMatchObject({ deadline: at(30 * DAY), windowDays: 30, currency: 'usd' });
  });

  describe('a training package', () => {
    const training = (startsAt: Date | null) =>
      purchase({ category: 'one_time', product: 'add_on:training_agency', startsAt, periodEnd: null });

    it.each([
      ['before its start date', training(at(3 * DAY)), at(2 * DAY), { eligible: true, amount: 5000 }],
      ['at its start date', training(at(3 * DAY)), at(3 * DAY), { reason: 'training_started' }],
      ['with no start date yet', training(null), at(6 * DAY), { eligible: true }],
      ['after its 7-day window', training(null), at(7 * DAY + 1000), { reason: 'window_closed' }],
    ])('%s', (_name, bought, now, expected) => {
      expect(sut({ purchase: bought, now })).toMatchObject(expected);
    });

    it('gets the 14-day EU/EEA minimum in Germany', () => {
      expect(sut({ purchase: training(null), country: 'DE', now: at(14 * DAY) })).toMatchObject({
        eligible: true,
        windowDays: 14,
      });
      expect(sut({ purchase: training(null), country: 'DE', now: at(14 * DAY + 1000) })).toMatchObject({
        reason: 'window_closed',
      });
    });
  });

  it('refunds the unused part of a recurring add-on, rounded down', () => {
    const addOn = purchase({ category: 'recurring_add_on', product: 'add_on:priority_support', amount: 1001 });
    expect(sut({ purchase: addOn, now: at(10 * DAY) })).toMatchObject({ eligible: true, amount: 667 });
  });
});
