import request from 'supertest';
import { seedPurchase } from '../experiments/support/money-fixtures';
import { createTestApp, type TestApp } from '../support/test-app';
import { adminAuth } from '../support/tokens';
import { at, holding, seedAccount, seedPrompt, seedQuote } from './support/analytics-fixtures';

/**
 * Issue #23, acceptance 3: the funnel's counts equal raw counts from the database, conversions
 * with no click are a row of their own, no rate passes 100%, and every CSV download parses to the
 * very figures of the JSON. The clock is injected: the service's, never the machine's.
 *
 * acct_k clicked usage_limit_reached on Nov 30 (shown Nov 30) and bought twice in December: the old
 *        "paid per click" was 200%.
 * acct_l was shown it in December, never clicked.
 * acct_m (the SaaS calls the API, no widget) quoted and bought twice in December with no prompt at all.
 */
const csvRows = (text: string) => {
  const [header, ...lines] = text.trim().split('\r\n');
  const names = (header ?? '').split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [names[i], cell])));
};
const sum = (values: unknown[]) => values.reduce<number>((total, v) => total + Number(v), 0);

describe('a bounded funnel with unattributed conversions, CSV exports and one clock', () => {
  let t: TestApp;
  const december = 'from=2026-12-01T00:00:00Z&to=2027-01-01T00:00:00Z';
  const get = (path: string) => request(t.app).get(path).set('Authorization', adminAuth);

  beforeAll(async () => {
    t = await createTestApp();
    t.services.clock.now = () => at('2026-12-20T12:00:00');
    for (const id of ['acct_k', 'acct_l', 'acct_m']) await seedAccount(t, id, 'US');
    await seedPrompt(t, {
      accountId: 'acct_k',
      rule: 'usage_limit_reached',
      placement: 'dashboard',
      events: [
        { type: 'impression', at: at('2026-11-30T23:00:00') },
        { type: 'click', at: at('2026-12-01T00:30:00') },
        { type: 'impression', at: at('2026-12-01T00:20:00') },
      ],
    });
    await seedPrompt(t, {
      accountId: 'acct_l',
      rule: 'usage_limit_reached',
      placement: 'dashboard',
      events: [{ type: 'impression', at: at('2026-12-02T10:00:00') }],
    });
    for (const [account, day, amount] of [
      ['acct_k', '02', 1900],
      ['acct_k', '03', 3000],
      ['acct_m', '05', 1900],
      ['acct_m', '09', 3000],
    ] as const) {
      await seedQuote(t, account, at(`2026-12-${day}T09:00:00`));
      await seedPurchase(t, {
        accountId: account,
        previous: holding('pro'),
        bought: holding('premium'),
        amount,
        paidAt: at(`2026-12-${day}T09:01:00`),
      });
    }
  });
  afterAll(() => t.close());

  it("answers the service's clock, not the machine's", async () => {
    const res = await get('/admin/v1/clock');
    expect(res.body).toEqual({ object: 'clock', now: '2026-12-20T12:00:00.000Z' });
  });

  it('counts what the database holds, puts the unattributed conversions in their own row and keeps every rate ≤ 100%', async () => {
    const range = [at('2026-12-01T00:00:00'), at('2027-01-01T00:00:00')];
    const raw = async (sql: string) => Number((await t.services.pool().query(sql, range)).rows[0].n);
    const impressions = await raw(
      "SELECT count(*) n FROM offer_events WHERE type = 'impression' AND occurred_at >= $1 AND occurred_at < $2",
    );
    const clicks = await raw(
      "SELECT count(*) n FROM offer_events WHERE type = 'click' AND occurred_at >= $1 AND occurred_at < $2",
    );
    const quotes = await raw('SELECT count(*) n FROM quotes WHERE created_at >= $1 AND created_at < $2');
    const paid = await raw('SELECT count(*) n FROM purchases WHERE paid_at >= $1 AND paid_at < $2');
    for (const groupBy of ['offer', 'placement', 'country', 'period']) {
      const { body } = await get(`/admin/v1/analytics/funnel?${december}&group_by=${groupBy}`);
      const rows = body.data as Array<Record<string, number | string | boolean | null>>;
      expect(sum(rows.map((r) => r.impressions))).toBe(impressions);
      expect(sum(rows.map((r) => r.clicks))).toBe(clicks);
      expect(sum(rows.map((r) => r.quotes))).toBe(quotes);
      expect(sum(rows.map((r) => r.paid_changes))).toBe(paid);
      for (const row of rows)
        for (const rate of [row.click_rate, row.conversion_rate])
          if (rate !== null) expect(rate).toBeLessThanOrEqual(1);
      expect(rows.at(-1)).toMatchObject({ group: '(unattributed)', attributed: false, quotes: 2, paid_changes: 2 });
    }
    const { body } = await get(`/admin/v1/analytics/funnel?${december}&group_by=offer`);
    expect(body.data[0]).toMatchObject({
      group: 'usage_limit_reached',
      impressions: 2,
      clicks: 1,
      paid_changes: 2,
      accounts_shown: 2,
      accounts_clicked: 1,
      accounts_converted: 1,
      click_rate: 0.5,
      conversion_rate: 1,
    });
  });

  it('exports the funnel as CSV whose rows and sums are the JSON figures', async () => {
    const json = (await get(`/admin/v1/analytics/funnel?${december}&group_by=offer`)).body.data;
    const res = await get(`/admin/v1/analytics/funnel?${december}&group_by=offer&format=csv`);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const rows = csvRows(res.text);
    expect(rows.map((r) => r.group)).toEqual(json.map((r: { group: string }) => r.group));
    for (const column of ['impressions', 'clicks', 'quotes', 'paid_changes', 'refunds'])
      expect(sum(rows.map((r) => r[column]))).toBe(sum(json.map((r: Record<string, number>) => r[column])));
    const viaAccept = await get(`/admin/v1/analytics/funnel?${december}`).set('Accept', 'text/csv');
    expect(viaAccept.text).toBe(res.text);
  });

  it('exports each table of the revenue report as CSV with the JSON sums', async () => {
    const json = (await get(`/admin/v1/analytics/revenue?${december}`)).body;
    expect(json.collected[0]).toMatchObject({ currency: 'usd', purchases: 9800 });
    for (const table of ['mrr', 'movements', 'collected', 'lifetime_value'] as const) {
      const res = await get(`/admin/v1/analytics/revenue?${december}&format=csv&table=${table}`);
      expect(res.status).toBe(200);
      const rows = csvRows(res.text);
      expect(rows).toHaveLength(json[table].length);
      for (const column of Object.keys(json[table][0] ?? {}).filter((c) => c !== 'currency'))
        expect(sum(rows.map((r) => r[column] || 0))).toBeCloseTo(
          sum(json[table].map((r: Record<string, number>) => r[column] ?? 0)),
          9,
        );
    }
    expect((await get(`/admin/v1/analytics/revenue?${december}&format=csv&table=nope`)).status).toBe(422);
  });
});
