import request from 'supertest';
import { adminAuth, bearer, userToken } from '../support/tokens';
import { createCatalogTestApp, type CatalogTestApp } from './support/catalog-test-app';

let t: CatalogTestApp;
beforeAll(async () => {
  t = await createCatalogTestApp();
  const accounts: Array<[string, string, string]> = [
    ['acct_us', 'US', 'en-US'],
    ['acct_de', 'DE', 'de-DE'],
    ['acct_jp', 'JP', 'ja-JP'],
    ['acct_kw', 'KW', 'ar-KW'],
    ['acct_in', 'IN', 'en-IN'],
    ['acct_uz', 'UZ', 'uz-UZ'],
  ];
  for (const [id, country, locale] of accounts) {
    await t.accounts.upsert({
      id,
      name: id,
      email: `${id}@example.test`,
      country,
      locale,
      industry: null,
      companySize: null,
      signedUpAt: null,
    });
  }
});
afterAll(() => t.close());

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const plans = (accountId: string, query: Record<string, string> = {}) =>
  request(t.app)
    .get('/v1/plans')
    .query(query)
    .set('Authorization', bearer(userToken(accountId)));

describe('GET /v1/plans', () => {
  it.each([
    ['acct_us', 'usd', 'en', '$19.00/month', 'Save $38.00 a year'],
    ['acct_de', 'eur', 'de', '19,00 €/Monat', 'Sparen Sie 38,00 € pro Jahr'],
    ['acct_jp', 'jpy', 'ja', '￥2,800/月', '年間￥5,600お得'],
    // Arabic (issue #22): ar-KW's own Arabic-Indic digits and currency symbol, right-to-left marks included.
    ['acct_kw', 'kwd', 'ar', '\u200f٦٫٠٠٠ د.ك.\u200f شهريًا', 'وفّر \u200f١٢٫٠٠٠ د.ك.\u200f في السنة'],
    ['acct_in', 'inr', 'en', '₹499.00/month', 'Save ₹998.00 a year'],
    ['acct_uz', 'uzs', 'uz', '99 000,00 soʻm/oy', 'Yiliga 198 000,00 soʻm tejang'],
  ])('%s sees %s prices in its own words', async (accountId, currency, locale, price, saving) => {
    const res = await plans(accountId);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: 'comparison_table', currency, locale, interval: 'month' });
    const pro = res.body.plans.find((p: { code: string }) => p.code === 'pro');
    expect(pro.price.currency).toBe(currency);
    expect(plain(pro.price.words)).toBe(price);
    expect(plain(pro.annual_saving.words)).toBe(saving);
    expect(pro.annual_saving.amount).toBe(
      12 * t.loaded.catalog.plans[1]!.prices!.month![currency]! - t.loaded.catalog.plans[1]!.prices!.year![currency]!,
    );
  });

  it('flags the free plan as current and the next tier as recommended for an account without a subscription', async () => {
    const res = await plans('acct_us');
    expect(
      res.body.plans.map((p: { code: string; current: boolean; recommended: boolean }) => [
        p.code,
        p.current,
        p.recommended,
      ]),
    ).toEqual([
      ['free', true, false],
      ['pro', false, true],
      ['premium', false, false],
    ]);
  });

  it('flags the plan of a granting subscription as current and uses its interval', async () => {
    await t.accounts.upsert({
      id: 'acct_pro',
      name: 'Pro Co',
      email: 'pro@example.test',
      country: 'GB',
      locale: 'en-GB',
      industry: null,
      companySize: null,
      signedUpAt: null,
    });
    await t.db.dataSource.query(
      `INSERT INTO subscriptions (id, account_id, status, plan_code, interval, currency, billing_cycle_anchor, current_period_start, current_period_end, stripe_created_at)
       VALUES ('sub_1', 'acct_pro', 'active', 'pro', 'year', 'gbp', now(), now(), now() + interval '1 year', now())`,
    );
    const res = await plans('acct_pro');
    expect(res.body).toMatchObject({ currency: 'gbp', interval: 'year' });
    const flags = res.body.plans.map((p: { code: string; current: boolean; recommended: boolean }) => [
      p.code,
      p.current,
      p.recommended,
    ]);
    expect(flags).toEqual([
      ['free', false, false],
      ['pro', true, false],
      ['premium', false, true],
    ]);
  });

  it('lets query parameters preview another interval, locale and country', async () => {
    const res = await plans('acct_us', { interval: 'year', locale: 'de-AT', country: 'jp' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ currency: 'jpy', locale: 'de', interval: 'year', country: 'JP' });
    const premium = res.body.plans.find((p: { code: string }) => p.code === 'premium');
    expect(plain(premium.price.words)).toBe('¥ 74.000/Jahr');
  });

  it('falls back to English for a locale it has no words for', async () => {
    const res = await plans('acct_us', { locale: 'fr-FR' });
    expect(res.status).toBe(200);
    expect(res.body.locale).toBe('en');
  });

  it('rejects an unknown query parameter and a bad interval', async () => {
    expect((await plans('acct_us', { interval: 'week' })).status).toBe(422);
    expect((await plans('acct_us', { currency: 'usd' })).body.error.code).toBe('validation_failed');
  });

  it('answers 404 for an account it does not know', async () => {
    expect((await plans('acct_nobody')).status).toBe(404);
  });

  it('needs an end-user token', async () => {
    expect((await request(t.app).get('/v1/plans')).status).toBe(401);
    expect((await request(t.app).get('/v1/plans').set('Authorization', adminAuth)).status).toBe(403);
  });
});

describe('admin catalog reads', () => {
  it('returns the running catalog and its version', async () => {
    const res = await request(t.app).get('/admin/v1/catalog').set('Authorization', adminAuth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: 'catalog', version: t.loaded.version, live_version: null });
    expect(res.body.catalog.plans.map((p: { code: string }) => p.code)).toEqual(['free', 'pro', 'premium']);
  });

  it('validates a posted catalog and lists every problem by path', async () => {
    const yaml =
      'format: 1\ndefault_currency: usd\ndefault_price_list: nowhere\nfeatures: []\nplans: []\nprice_lists: []\n';
    const res = await request(t.app).post('/admin/v1/catalog/validate').set('Authorization', adminAuth).send({ yaml });
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(false);
    expect(res.body.problems.map((p: { path: string }) => p.path)).toEqual(
      expect.arrayContaining(['features', 'plans', 'price_lists']),
    );
  });

  it('answers 503 for a diff when no Stripe is configured', async () => {
    const res = await request(t.app).get('/admin/v1/catalog/diff').set('Authorization', adminAuth);
    expect(res.status).toBe(503);
  });

  it('is for operators only', async () => {
    expect(
      (
        await request(t.app)
          .get('/admin/v1/catalog')
          .set('Authorization', bearer(userToken('acct_us')))
      ).status,
    ).toBe(403);
  });
});
