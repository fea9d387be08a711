import request from 'supertest';
import { seedPurchase } from '../experiments/support/money-fixtures';
import { createTestApp, type TestApp } from '../support/test-app';
import { adminAuth } from '../support/tokens';
import { at, holding, seedAccount, seedPrompt, seedQuote, seedSubscription } from './support/analytics-fixtures';

/**
 * A seeded November 2026 (USD; demo catalog: Pro 1900/month, Premium 4900/month or 49000/year,
 * priority support 1500/month) whose funnel and MRR figures are computed by hand below.
 *
 * acct_a (US) free → Pro on Nov 3 after clicking welcome_pro_after_two_weeks (dashboard) on Nov 2: new 1900.
 * acct_b (US) Pro → Premium on Nov 10 after clicking usage_limit_reached (dashboard) on Nov 9: expansion 3000;
 *        refunded in full on Nov 15 under the guarantee, back on Pro: the refund reverses it, contraction 3000.
 * acct_c (DE) Pro + priority support on Nov 12 after clicking recommended_after_pro (settings): expansion 1500.
 * acct_d (US) Premium yearly, cancelled Nov 20: churn 49000 / 12 = 4083.33 → 4083.
 * acct_e (US) Pro → Premium on Nov 25 with no click before it: expansion 3000, outside the offer funnel.
 * acct_f (US) free, shown welcome_pro_after_two_weeks three times, never clicked.
 */
describe('analytics on a seeded month', () => {
  let t: TestApp;
  const november = 'from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z';
  const get = (path: string) => request(t.app).get(path).set('Authorization', adminAuth);

  beforeAll(async () => {
    t = await createTestApp();
    for (const [id, country] of [
      ['acct_a', 'US'],
      ['acct_b', 'US'],
      ['acct_c', 'DE'],
      ['acct_d', 'US'],
      ['acct_e', 'US'],
      ['acct_f', 'US'],
    ] as const)
      await seedAccount(t, id, country);

    await seedPrompt(t, {
      accountId: 'acct_a',
      rule: 'welcome_pro_after_two_weeks',
      placement: 'dashboard',
      events: [
        { type: 'impression', at: at('2026-11-01T10:00:00') },
        { type: 'impression', at: at('2026-11-02T10:00:00') },
        { type: 'click', at: at('2026-11-02T10:01:00') },
      ],
    });
    await seedQuote(t, 'acct_a', at('2026-11-03T09:00:00'));
    await seedPurchase(t, {
      accountId: 'acct_a',
      kind: 'subscription_start',
      previous: { plan: 'free', items: [] },
      bought: holding('pro'),
      amount: 1900,
      paidAt: at('2026-11-03T09:05:00'),
    });
    await seedSubscription(t, { accountId: 'acct_a', holding: holding('pro'), createdAt: at('2026-11-03T09:05:00') });

    await seedPrompt(t, {
      accountId: 'acct_b',
      rule: 'usage_limit_reached',
      placement: 'dashboard',
      experiment: { key: 'limit_copy', variant: 'b' },
      events: [
        { type: 'impression', at: at('2026-11-09T08:00:00') },
        { type: 'click', at: at('2026-11-09T08:00:30') },
      ],
    });
    await seedQuote(t, 'acct_b', at('2026-11-10T12:00:00'));
    await seedPurchase(t, {
      accountId: 'acct_b',
      previous: holding('pro'),
      bought: holding('premium'),
      amount: 2000,
      paidAt: at('2026-11-10T12:01:00'),
      refunded: 2000,
      refundedAt: at('2026-11-15T16:00:00'),
    });
    await seedSubscription(t, { accountId: 'acct_b', holding: holding('pro'), createdAt: at('2026-10-01T00:00:00') });

    await seedPrompt(t, {
      accountId: 'acct_c',
      rule: 'recommended_after_pro',
      placement: 'settings',
      events: [
        { type: 'impression', at: at('2026-11-12T07:00:00') },
        // Stripe dates the payment to the whole second (07:04:00); the click came 400 ms into it.
        { type: 'click', at: at('2026-11-12T07:04:00.400') },
      ],
    });
    await seedQuote(t, 'acct_c', at('2026-11-12T07:04:00.600'));
    await seedPurchase(t, {
      accountId: 'acct_c',
      kind: 'add_on',
      previous: holding('pro'),
      bought: holding('pro', ['priority_support']),
      amount: 900,
      paidAt: at('2026-11-12T07:04:00'),
    });
    await seedSubscription(t, {
      accountId: 'acct_c',
      holding: holding('pro', ['priority_support']),
      createdAt: at('2026-09-01T00:00:00'),
    });

    await seedSubscription(t, {
      accountId: 'acct_d',
      holding: holding('premium', [], 'year'),
      createdAt: at('2026-08-01T00:00:00'),
      status: 'canceled',
      canceledAt: at('2026-11-20T00:00:00'),
    });

    await seedQuote(t, 'acct_e', at('2026-11-25T10:00:00'));
    await seedPurchase(t, {
      accountId: 'acct_e',
      previous: holding('pro'),
      bought: holding('premium'),
      amount: 1000,
      paidAt: at('2026-11-25T10:01:00'),
    });
    await seedSubscription(t, {
      accountId: 'acct_e',
      holding: holding('premium'),
      createdAt: at('2026-10-01T00:00:00'),
    });

    await seedPrompt(t, {
      accountId: 'acct_f',
      rule: 'welcome_pro_after_two_weeks',
      placement: 'dashboard',
      events: [1, 2, 3].map((d) => ({ type: 'impression' as const, at: at(`2026-11-0${4 + d}T10:00:00`) })),
    });
  });
  afterAll(() => t.close());

  it('counts the funnel by offer, attributing each conversion to the last prompt clicked within 7 days', async () => {
    const res = await get(`/admin/v1/analytics/funnel?${november}&group_by=offer`);
    expect(res.status).toBe(200);
    const counts = ({ group, impressions, clicks, quotes, paid_changes, refunds }: Record<string, unknown>) => ({
      group,
      impressions,
      clicks,
      quotes,
      paid_changes,
      refunds,
    });
    expect(res.body.data.map(counts)).toEqual([
      { group: 'recommended_after_pro', impressions: 1, clicks: 1, quotes: 1, paid_changes: 1, refunds: 0 },
      { group: 'usage_limit_reached', impressions: 1, clicks: 1, quotes: 1, paid_changes: 1, refunds: 1 },
      { group: 'welcome_pro_after_two_weeks', impressions: 5, clicks: 1, quotes: 1, paid_changes: 1, refunds: 0 },
      // acct_e's quote and purchase came with no click before them.
      { group: '(unattributed)', impressions: 0, clicks: 0, quotes: 1, paid_changes: 1, refunds: 0 },
    ]);
    // Rates are shares of accounts: acct_a and acct_f were shown welcome_pro…, acct_a clicked and paid.
    expect(res.body.data[2]).toMatchObject({
      accounts_shown: 2,
      accounts_clicked: 1,
      click_rate: 0.5,
      conversion_rate: 1,
    });
    expect(res.body.data[3]).toMatchObject({ attributed: false, click_rate: null, conversion_rate: null });
  });

  it('counts the same funnel by country, placement and month', async () => {
    const rows = async (query: string) =>
      (await get(`/admin/v1/analytics/funnel?${november}&${query}`)).body.data.map((r: Record<string, unknown>) => [
        r.group,
        r.impressions,
        r.clicks,
        r.quotes,
        r.paid_changes,
        r.refunds,
      ]);
    const unattributed = ['(unattributed)', 0, 0, 1, 1, 0];
    expect(await rows('group_by=country')).toEqual([['DE', 1, 1, 1, 1, 0], ['US', 6, 2, 2, 2, 1], unattributed]);
    expect(await rows('group_by=placement')).toEqual([
      ['dashboard', 6, 2, 2, 2, 1],
      ['settings', 1, 1, 1, 1, 0],
      unattributed,
    ]);
    expect(await rows('group_by=period&interval=month')).toEqual([['2026-11-01', 7, 3, 3, 3, 1], unattributed]);
  });

  it('carries the experiment variant from the clicked prompt to its quote, change and refund', async () => {
    const res = await get(`/admin/v1/analytics/funnel?${november}&group_by=experiment`);
    expect(res.body.data).toEqual([
      expect.objectContaining({
        group: 'limit_copy/b',
        impressions: 1,
        clicks: 1,
        quotes: 1,
        paid_changes: 1,
        refunds: 1,
      }),
    ]);
  });

  it('drops a conversion whose last click is older than the attribution window', async () => {
    // acct_b's purchase came 28 hours after its click: a 1-day window no longer credits usage_limit_reached.
    const res = await get(`/admin/v1/analytics/funnel?${november}&group_by=offer&attribution_days=1`);
    const usage = res.body.data.find((r: { group: string }) => r.group === 'usage_limit_reached');
    expect(usage).toMatchObject({ quotes: 0, paid_changes: 0, refunds: 0 });
  });

  it('reports MRR movements with the refund reversing an expansion, MRR, ARPA, churn, CLTV, attach and refund rates', async () => {
    const res = await get(`/admin/v1/analytics/revenue?${november}`);
    expect(res.status).toBe(200);
    // new 1900; expansion 3000 + 1500 + 3000 = 7500; contraction 3000 (acct_b's refund); churn 4083;
    // net 1900 + 7500 − 3000 − 4083 = 2317.
    expect(res.body.movements).toEqual([
      { currency: 'usd', new: 1900, expansion: 7500, contraction: 3000, churn: 4083, net: 2317 },
    ]);
    // Collected: a 1900 + b 2000 + c 900 + e 1000 = 5800, of which b's 2000 was refunded; no renewals.
    expect(res.body.collected).toEqual([
      { currency: 'usd', purchases: 5800, renewals: 0, renewal_invoices: 0, refunded: 2000, net: 3800 },
    ]);
    // MRR now: a 1900 + b 1900 + c 3400 + e 4900 = 12100 over 4 paying accounts → ARPA 3025.
    expect(res.body.mrr).toEqual([{ currency: 'usd', mrr: 12100, paying_accounts: 4 }]);
    // Paying at Nov 1: b, c, d, e (a started Nov 3); churned: d → 1/4. CLTV = 3025 × 0.8 / 0.25 = 9680.
    expect(res.body.lifetime_value).toEqual([
      { currency: 'usd', arpa: 3025, churn_rate: 0.25, gross_margin: 0.8, cltv: 9680 },
    ]);
    // Add-on attach: c of 4 paying accounts. Guarantee refunds: b of 4 purchases paid in November.
    expect(res.body.add_on_attach_rate).toBe(0.25);
    expect(res.body.guarantee_refund_rate).toBe(0.25);
  });

  it('dates a guarantee refund from the guarantee, before the charge mirror hears of it', async () => {
    // December: acct_b upgrades again on Dec 2; the guarantees module refunds it on Dec 5
    // (purchases.refunded_at) while the charge mirror has not yet seen charge.refunded.
    const id = await seedPurchase(t, {
      accountId: 'acct_b',
      previous: holding('pro'),
      bought: holding('premium'),
      amount: 2000,
      paidAt: at('2026-12-02T10:00:00'),
    });
    await t.db.dataSource.query(`UPDATE purchases SET refunded_at = $2 WHERE id = $1`, [id, at('2026-12-05T10:00:00')]);
    const res = await get('/admin/v1/analytics/revenue?from=2026-12-01T00:00:00Z&to=2027-01-01T00:00:00Z');
    expect(res.body.movements).toEqual([
      { currency: 'usd', new: 0, expansion: 3000, contraction: 3000, churn: 0, net: 0 },
    ]);
    expect(res.body.guarantee_refund_rate).toBe(1);
  });

  it('takes the gross margin from the request when given', async () => {
    const res = await get(`/admin/v1/analytics/revenue?${november}&gross_margin=0.5`);
    expect(res.body.lifetime_value[0].cltv).toBe(6050);
  });

  it('refuses a period that ends before it starts', async () => {
    const res = await get('/admin/v1/analytics/funnel?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z');
    expect(res.status).toBe(422);
    expect(res.body.error.param).toBe('to');
  });
});

describe('the configured gross margin', () => {
  it('comes from ANALYTICS_GROSS_MARGIN', async () => {
    const t = await createTestApp({ ANALYTICS_GROSS_MARGIN: '0.6' });
    try {
      expect(t.services.analytics.grossMargin).toBe(0.6);
    } finally {
      await t.close();
    }
  });
});
