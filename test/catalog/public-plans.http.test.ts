import request from 'supertest';
import { createCatalogTestApp, type CatalogTestApp } from './support/catalog-test-app';

let t: CatalogTestApp;
beforeAll(async () => {
  t = await createCatalogTestApp();
});
afterAll(() => t.close());

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const publicPlans = (query: Record<string, string> = {}) => request(t.app).get('/v1/public/plans').query(query);
type Column = { code: string; current: boolean; recommended: boolean; annual_saving: { amount: number } | null };

describe('GET /v1/public/plans (no credential)', () => {
  it('answers without a token, the default list, nothing current, the first paid tier recommended', async () => {
    const res = await publicPlans();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: 'comparison_table', currency: 'usd', interval: 'month', locale: 'en' });
    expect(res.body.plans.map((p: Column) => [p.code, p.current, p.recommended])).toEqual([
      ['free', false, false],
      ['pro', false, true],
      ['premium', false, false],
    ]);
  });

  it.each([
    [{ currency: 'EUR', locale: 'de-DE' }, 'eur', '19,00 €/Monat'],
    [{ country: 'jp', locale: 'ja-JP' }, 'jpy', '￥2,800/月'],
    [{ country: 'GB', currency: 'gbp' }, 'gbp', undefined],
  ])('picks the price list of %j', async (query, currency, words) => {
    const res = await publicPlans(query);
    expect(res.status).toBe(200);
    expect(res.body.currency).toBe(currency);
    const pro = res.body.plans.find((p: Column) => p.code === 'pro');
    if (words) expect(plain(pro.price.words)).toBe(words);
    // The saving is the catalog's own: 12 × monthly − annual.
    const prices = t.loaded.catalog.plans.find((p) => p.code === 'pro')!.prices!;
    expect(pro.annual_saving.amount).toBe(12 * prices.month![currency]! - prices.year![currency]!);
  });

  it('prices a year when asked, with its per-month equivalent', async () => {
    const res = await publicPlans({ interval: 'year', currency: 'usd' });
    const pro = res.body.plans.find((p: Column) => p.code === 'pro');
    expect(pro.price.amount).toBe(t.loaded.catalog.plans.find((p) => p.code === 'pro')!.prices!.year!.usd);
    expect(pro.monthly_equivalent).not.toBeNull();
  });

  it.each([
    [{ currency: 'xxx' }, 'currency_not_offered', 'currency'],
    [{ currency: 'euro' }, 'validation_failed', 'currency'],
    [{ country: 'DE', currency: 'usd' }, 'currency_not_offered', 'currency'],
    [{ country: 'ZZZ' }, 'validation_failed', 'country'],
    [{ interval: 'week' }, 'validation_failed', 'interval'],
    [{ plan: 'pro' }, 'validation_failed', 'plan'],
  ])('answers %j with a clear 422', async (query, code, param) => {
    const res = await publicPlans(query);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ param });
    if (code !== 'validation_failed') expect(res.body.error.code).toBe(code);
  });
});
