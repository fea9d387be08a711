import { guaranteeFor, type PurchaseKind } from '../../src/billing/guarantee-terms';
import { validateCatalog } from '../../src/catalog/validate-catalog';
import { guaranteePoliciesOf } from '../../src/guarantees/guarantee-policies';
import { windowDays } from '../../src/guarantees/guarantee-windows';
import { offerGuaranteeDays } from '../../src/guarantees/offer-guarantee-days';
import type { OfferTarget } from '../../src/offers/offers.types';
import { demoCatalog, demoRaw } from '../catalog/support/demo-catalog';

/** The parsed demo catalog, loosely typed so a test can break it. */
type Raw = ReturnType<typeof demoRaw>;

function problemsOf(raw: unknown) {
  const result = validateCatalog(raw);
  if (result.ok) throw new Error('expected the catalog to be refused');
  return result.problems;
}

describe('guarantee policies in the catalog', () => {
  it('the demo policies: 30 days for upgrades, 14 for add-ons, 7 for training, EU/EEA consumers at least 14', () => {
    const policies = guaranteePoliciesOf(demoCatalog().catalog);
    expect(policies).toMatchObject({
      plan_upgrade: { window_days: 30, once_per_product: true, covers_renewals: false, refund: 'full_charge' },
      recurring_add_on: { window_days: 14 },
      one_time: { window_days: 7, conditions: { not_started: true } },
      regions: [{ code: 'eea_consumers', countries: 'eea', minimum_window_days: 14 }],
    });
  });

  it.each([
    [
      'a window of zero days',
      (raw: Raw) => (raw.guarantees.one_time.window_days = 0),
      'guarantees.one_time.window_days',
    ],
    ['an unknown field', (raw: Raw) => (raw.guarantees.plan_upgrade.forever = true), 'guarantees.plan_upgrade.forever'],
    [
      'a usage percentage above 100',
      (raw: Raw) => (raw.guarantees.plan_upgrade.conditions.max_usage_percent = 120),
      'guarantees.plan_upgrade.conditions.max_usage_percent',
    ],
    [
      'the unused part of a one-time package',
      (raw: Raw) => (raw.guarantees.one_time.refund = 'unused_part'),
      'guarantees.one_time.refund',
    ],
    [
      'a start date condition on an upgrade',
      (raw: Raw) => (raw.guarantees.plan_upgrade.conditions.not_started = true),
      'guarantees.plan_upgrade.conditions.not_started',
    ],
    [
      'a region listed twice',
      (raw: Raw) => raw.guarantees.regions.push({ ...raw.guarantees.regions[0] }),
      'guarantees.regions[1].code',
    ],
    [
      'a lowercase country',
      (raw: Raw) => (raw.guarantees.regions[0].countries = ['de']),
      'guarantees.regions[0].countries',
    ],
  ])('refuses %s, naming its path', (_name, breakIt, path) => {
    const raw = demoRaw();
    breakIt(raw);
    expect(problemsOf(raw).map((problem) => problem.path)).toContainEqual(expect.stringContaining(path));
  });

  it('quotes, prompts and eligibility announce the same days for every kind and country', () => {
    const { catalog } = demoCatalog();
    const policies = guaranteePoliciesOf(catalog);
    const prompt = offerGuaranteeDays(policies);
    const targets: Record<PurchaseKind, OfferTarget> = {
      plan_upgrade: {
        type: 'plan',
        code: 'premium',
        interval: 'month',
        amount: 1,
        currency: 'usd',
        currentAmount: 0,
        annualSaving: null,
      },
      recurring_add_on: {
        type: 'addon',
        code: 'priority_support',
        quantity: 1,
        interval: 'month',
        amount: 1,
        currency: 'usd',
      },
      one_time: {
        type: 'addon',
        code: 'training_agency',
        quantity: 1,
        interval: 'one_time',
        amount: 1,
        currency: 'usd',
      },
    };
    for (const kind of ['plan_upgrade', 'recurring_add_on', 'one_time'] as const) {
      for (const country of ['US', 'DE', 'FR', 'NO', 'JP', 'GB']) {
        const quoted = guaranteeFor(catalog, kind, country).days;
        expect({ kind, country, days: prompt(targets[kind], { country }) }).toEqual({ kind, country, days: quoted });
        expect(windowDays(policies, kind, country)).toBe(quoted);
      }
    }
    expect(guaranteeFor(catalog, 'one_time', 'DE').days).toBe(14);
    expect(guaranteeFor(catalog, 'one_time', 'US').days).toBe(7);
  });
});
