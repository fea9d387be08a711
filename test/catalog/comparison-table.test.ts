import { buildComparisonTable, type ComparisonTable } from '../../src/catalog/comparison-table';
import { resolvePriceList } from '../../src/catalog/price-lists';
import type { Interval } from '../../src/catalog/catalog.types';
import { demoCatalog } from './support/demo-catalog';

const NBSP = /[\u00a0\u202f]/g;
const plain = (s: string | undefined) => (s ?? '').replace(NBSP, ' ');

function tableFor(
  country: string,
  locale: string,
  interval: Interval = 'month',
  extra: { currentPlan?: string; recommendedPlan?: string } = {},
): ComparisonTable {
  const { catalog, messages } = demoCatalog();
  return buildComparisonTable({
    catalog,
    messages,
    priceList: resolvePriceList(catalog, country),
    locale,
    interval,
    ...extra,
  });
}

const plan = (table: ComparisonTable, code: string) => {
  const found = table.plans.find((p) => p.code === code);
  if (!found) throw new Error(`no ${code}`);
  return found;
};

describe('buildComparisonTable', () => {
  it.each([
    ['US', 'en', 'usd', 'us', 'full', 1900, '$19.00'],
    ['DE', 'de', 'eur', 'eurozone', 'full', 1900, '19,00 €'],
    ['JP', 'ja', 'jpy', 'japan', 'full', 2800, '￥2,800'],
    ['KW', 'en', 'kwd', 'kuwait', 'full', 6000, 'KWD 6.000'],
    ['IN', 'en-IN', 'inr', 'india', 'purchasing_power', 49900, '₹499.00'],
    ['UZ', 'uz', 'uzs', 'uzbekistan', 'purchasing_power', 9900000, '99 000,00 soʻm'],
  ])(
    'an account in %s sees %s prices of its price list',
    (country, locale, currency, list, point, amount, formatted) => {
      const table = tableFor(country, locale);
      expect(table.currency).toBe(currency);
      expect(table.price_list).toEqual({ code: list, price_point: point });
      const pro = plan(table, 'pro');
      expect(pro.price.amount).toBe(amount);
      expect(pro.price.currency).toBe(currency);
      expect(plain(pro.price.formatted)).toBe(formatted);
    },
  );

  it('shows JPY without decimals and KWD with three', () => {
    expect(plain(plan(tableFor('JP', 'en'), 'premium').price.formatted)).toBe('¥7,400');
    expect(plain(plan(tableFor('KW', 'en'), 'premium').price.formatted)).toBe('KWD 15.000');
  });

  it.each([
    ['US', 'en', 'Save $38.00 a year'],
    ['DE', 'de', 'Sparen Sie 38,00 € pro Jahr'],
    ['JP', 'ja', '年間￥5,600お得'],
    ['KW', 'en', 'Save KWD 12.000 a year'],
    ['IN', 'en', 'Save ₹998.00 a year'],
    ['UZ', 'uz', 'Yiliga 198 000,00 soʻm tejang'],
    ['UZ', 'ru', 'Экономия 198 000,00 UZS в год'],
  ])('in %s (%s) the annual saving is 12 × monthly − annual: %s', (country, locale, words) => {
    const { catalog } = demoCatalog();
    const table = tableFor(country, locale, 'year');
    const pro = plan(table, 'pro');
    const prices = catalog.plans[1]?.prices;
    const monthly = prices?.month?.[table.currency] ?? NaN;
    const annual = prices?.year?.[table.currency] ?? NaN;
    expect(pro.annual_saving?.amount).toBe(12 * monthly - annual);
    expect(plain(pro.annual_saving?.words)).toBe(words);
    expect(pro.price.amount).toBe(annual);
  });

  it('describes every feature of every plan in words of the locale', () => {
    const table = tableFor('DE', 'de');
    const words = Object.fromEntries(table.plans.map((p) => [p.code, p.features.map((f) => f.words)]));
    expect(words.free).toEqual([
      '3 Projekte',
      '2 Plätze',
      '1.000 API-Aufrufe pro Monat',
      '1 GB',
      '10 Exporte pro Monat',
      '—',
      '—',
      '—',
      '—',
    ]);
    expect(words.premium).toEqual([
      'Unbegrenzt',
      '50 Plätze',
      '500.000 API-Aufrufe pro Monat',
      '500 GB',
      'Unbegrenzt',
      'Inklusive',
      'Inklusive',
      'Inklusive',
      'Inklusive',
    ]);
    expect(table.features.map((f) => f.name)).toContain('Zeiterfassung');
  });

  it('falls back to English for an unknown locale without failing', () => {
    const table = tableFor('US', 'tlh');
    expect(table.locale).toBe('en');
    expect(plan(table, 'free').price.words).toBe('Free');
  });

  it('flags the current and the recommended plan', () => {
    const table = tableFor('US', 'en', 'month', { currentPlan: 'pro', recommendedPlan: 'premium' });
    expect(table.plans.map((p) => [p.code, p.current, p.recommended])).toEqual([
      ['free', false, false],
      ['pro', true, false],
      ['premium', false, true],
    ]);
  });

  it('prices add-ons for the interval and bundles as the discounted sum of their items', () => {
    const table = tableFor('US', 'en', 'month');
    const seats = table.add_ons.find((a) => a.code === 'extra_seats');
    expect(seats?.price.words).toBe('$5.00/month per seat');
    expect(seats?.adds).toEqual({ seats: 1 });
    const training = table.add_ons.find((a) => a.code === 'training_agency');
    expect(training?.price).toMatchObject({ amount: 29900, interval: 'one_time', words: '$299.00 one-time' });
    const bundle = table.bundles.find((b) => b.code === 'premium_training');
    // Premium annual 490.00 + training 299.00, the training 20% off (59.80).
    expect(bundle?.regular_price.amount).toBe(49000 + 29900);
    expect(bundle?.saving).toMatchObject({ amount: 5980, percent_off: 20, words: 'Save $59.80' });
    expect(bundle?.price.amount).toBe(49000 + 29900 - 5980);
    expect(bundle?.renewal_price.words).toBe('$490.00/year');
  });

  it('keeps a forever bundle discount on renewals', () => {
    const bundle = tableFor('US', 'en').bundles.find((b) => b.code === 'pro_growth');
    // Pro 19.00 + support 15.00 + 5 seats × 5.00, add-ons 15% off: 19.00 + 34.00 = 53.00 every month.
    expect(bundle?.price.amount).toBe(1900 + Math.round(4000 * 0.85));
    expect(bundle?.renewal_price.amount).toBe(bundle?.price.amount);
  });

  it('shows the monthly equivalent of an annual price', () => {
    const premium = plan(tableFor('US', 'en', 'year'), 'premium');
    expect(premium.monthly_equivalent?.words).toBe('$40.83/month, billed yearly');
  });
});
