import { guaranteeFor } from '../../src/billing/guarantee-terms';
import { bundleChange, bundledAddOns } from '../../src/billing/bundle-change.rules';
import { planChange } from '../../src/billing/plan-change.rules';
import { quoteLines } from '../../src/billing/quote-lines';
import type { SubscriptionState } from '../../src/billing/subscription-state';
import { AppError } from '../../src/shared/errors';
import { demoCatalog } from '../catalog/support/demo-catalog';

const catalog = demoCatalog().catalog;

function subscribed(overrides: Partial<SubscriptionState> = {}): SubscriptionState {
  return {
    id: 'sub_1',
    customerId: 'cus_1',
    status: 'active',
    planCode: 'pro',
    interval: 'month',
    currency: 'usd',
    periodStart: 0,
    periodEnd: 100,
    cancelAtPeriodEnd: false,
    scheduleId: null,
    hasPendingUpdate: false,
    items: [{ id: 'si_plan', priceId: 'price_pro', kind: 'plan', code: 'pro', quantity: 1 }],
    ...overrides,
  };
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('planChange', () => {
  it('pays an upgrade now, replacing the plan item in place', () => {
    const sut = planChange(catalog, subscribed(), { plan: 'premium' });
    expect(sut).toMatchObject({
      kind: 'update',
      direction: 'upgrade',
      target: [{ kind: 'plan', code: 'premium', existingItemId: 'si_plan', lookupKey: 'tierlift_plan_premium_month' }],
      removedItemIds: [],
    });
  });

  it('schedules a lower tier and a shorter interval for the period end', () => {
    expect(planChange(catalog, subscribed({ planCode: 'premium' }), { plan: 'pro' }).kind).toBe('schedule');
    expect(planChange(catalog, subscribed({ interval: 'year' }), { interval: 'month' }).kind).toBe('schedule');
  });

  it('pays a longer interval now', () => {
    expect(planChange(catalog, subscribed(), { interval: 'year' })).toMatchObject({
      kind: 'update',
      direction: 'interval_change',
    });
  });

  it('drops an add-on the new plan does not offer (Premium includes priority support)', () => {
    const state = subscribed({
      items: [
        { id: 'si_plan', priceId: 'price_pro', kind: 'plan', code: 'pro', quantity: 1 },
        { id: 'si_support', priceId: 'price_support', kind: 'add_on', code: 'priority_support', quantity: 1 },
      ],
    });
    const sut = planChange(catalog, state, { plan: 'premium' });
    expect(sut).toMatchObject({ kind: 'update', removedItemIds: ['si_support'] });
  });

  it('sends a free account to Checkout and a move to free to cancellation', () => {
    expect(planChange(catalog, null, { plan: 'pro' }).kind).toBe('checkout');
    expect(planChange(catalog, subscribed(), { plan: 'free' }).kind).toBe('cancel');
  });

  it('refuses what cannot be bought, naming why', () => {
    expect(refusal(() => planChange(catalog, subscribed(), { plan: 'pro' }))).toBe('nothing_to_change');
    expect(refusal(() => planChange(catalog, subscribed(), { plan: 'gold' }))).toBe('unknown_plan');
    expect(refusal(() => bundleChange(catalog, subscribed(), { bundle: 'pro_growth' }, 'usd'))).toBe(
      'bundle_plan_held',
    );
    expect(
      refusal(() => planChange(catalog, subscribed(), { add_ons: [{ code: 'priority_support', quantity: 2 }] })),
    ).toBe('invalid_quantity');
    expect(
      refusal(() => planChange(catalog, subscribed(), { add_ons: [{ code: 'annual_maintenance', quantity: 1 }] })),
    ).toBe('interval_not_available');
    expect(
      refusal(() => planChange(catalog, subscribed({ interval: 'year' }), { plan: 'premium', interval: 'month' })),
    ).toBe('mixed_change');
    expect(refusal(() => planChange(catalog, subscribed({ scheduleId: 'sub_sched_1' }), { plan: 'premium' }))).toBe(
      'change_scheduled',
    );
  });
});

describe('guaranteeFor', () => {
  const withGuarantees = {
    ...catalog,
    guarantees: {
      plan_upgrade: { window_days: 7 },
      regions: [{ code: 'eea_consumers', countries: 'eea', minimum_window_days: 14 }],
    },
  };
  it('announces the policy window, raised to the regional minimum, and nothing without a policy', () => {
    expect(guaranteeFor(withGuarantees, 'plan_upgrade', 'US')).toEqual({ eligible: true, days: 7 });
    expect(guaranteeFor(withGuarantees, 'plan_upgrade', 'de')).toEqual({ eligible: true, days: 14 });
    expect(guaranteeFor(withGuarantees, 'one_time', 'US')).toEqual({ eligible: false, days: null });
    expect(guaranteeFor({ ...catalog, guarantees: undefined }, 'plan_upgrade', 'US')).toEqual({
      eligible: false,
      days: null,
    });
  });
});

describe('quoteLines', () => {
  const line = { quantity: 1, stripeDescription: 'x', period: { start: 1776297600, end: 1777593600 } };
  it('words proration lines in the account locale and keeps Stripe amounts', () => {
    const sut = quoteLines(
      [
        { ...line, amount: -950, proration: true, item: { kind: 'plan', code: 'pro' } },
        { ...line, amount: 2450, proration: true, item: { kind: 'plan', code: 'premium' } },
      ],
      { currency: 'usd', locale: 'de', itemName: (item) => item.code.toUpperCase() },
    );
    expect(sut.map((entry) => entry.amount)).toEqual([-950, 2450]);
    expect(sut[0]?.description).toBe('Nicht genutzte Zeit: PRO (bis 01.05.2026)');
    expect(sut[1]?.formatted).toMatch(/^24,50\s\$$/);
  });
});

describe('bundleChange', () => {
  it('refuses a subscribed account a bundle of one-time items only, and sends it to the one-time add-ons', () => {
    const { catalog: withTrainingBundle } = demoCatalog();
    withTrainingBundle.bundles.push({
      code: 'training_only',
      interval: 'month',
      items: [{ add_on: 'training_agency' }],
      discount: { percent_off: 10, applies_to: ['training_agency'], duration: 'once' },
      benefits: [],
    } as unknown as (typeof withTrainingBundle.bundles)[number]);
    let error: unknown;
    try {
      bundleChange(withTrainingBundle, subscribed(), { bundle: 'training_only' }, 'usd');
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'bundle_not_available', param: 'bundle', status: 422 });
    expect((error as AppError).message).toMatch(/one-time/);
  });
});

describe('add-ons a bundle discounts', () => {
  const bundled = bundledAddOns(catalog, ['pro_growth']);
  const growth = subscribed({
    items: [
      { id: 'si_plan', priceId: 'price_pro', kind: 'plan', code: 'pro', quantity: 1 },
      { id: 'si_support', priceId: 'price_support', kind: 'add_on', code: 'priority_support', quantity: 1 },
      { id: 'si_seats', priceId: 'price_seats', kind: 'add_on', code: 'extra_seats', quantity: 5 },
    ],
  });

  it('knows the lasting discounts of the bundles bought, never a once coupon spent on their invoice', () => {
    expect(Object.fromEntries(bundled)).toEqual({
      priority_support: { bundle: 'pro_growth', quantity: 1 },
      extra_seats: { bundle: 'pro_growth', quantity: 5 },
    });
    expect(bundledAddOns(catalog, ['launch_pack', 'premium_training']).size).toBe(0);
  });

  it('refuses more of a bundled add-on, naming it and what the bundle covers', () => {
    let error: unknown;
    try {
      planChange(catalog, growth, { add_ons: [{ code: 'extra_seats', quantity: 25 }] }, bundled);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'bundle_quantity_fixed', param: 'add_ons[0].quantity', status: 422 });
    expect((error as AppError).message).toMatch(/extra_seats.*pro_growth.*covers 5/);
  });

  it('still allows fewer, and a plan change keeping the bundled quantity', () => {
    expect(planChange(catalog, growth, { add_ons: [{ code: 'extra_seats', quantity: 3 }] }, bundled).kind).toBe(
      'update',
    );
    expect(planChange(catalog, growth, { plan: 'premium' }, bundled).kind).toBe('update');
  });
});
