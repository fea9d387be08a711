import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app';
import { adminAuth } from '../support/tokens';
import { at, holding, seedAccount, seedSubscription } from './support/analytics-fixtures';

/**
 * Stripe's `canceled_at` is when a cancellation was asked for; with `cancel_at_period_end` the
 * subscription only ends (`ended_at`) at the period end (Stripe changelog 2015-01-26). acct_g asked
 * on 20 October; its Pro subscription ended on 1 November.
 */
describe('churn is dated by the end of the subscription', () => {
  let t: TestApp;
  const report = (from: string, to: string) =>
    request(t.app).get(`/admin/v1/analytics/revenue?from=${from}&to=${to}`).set('Authorization', adminAuth);

  beforeAll(async () => {
    t = await createTestApp();
    await seedAccount(t, 'acct_g', 'US');
    await seedSubscription(t, {
      accountId: 'acct_g',
      holding: holding('pro'),
      createdAt: at('2026-09-01T00:00:00'),
      status: 'canceled',
      canceledAt: at('2026-10-20T09:00:00'),
      endedAt: at('2026-11-01T00:00:00'),
    });
  });
  afterAll(() => t.close());

  it('counts nothing in the month the cancellation was asked for', async () => {
    const res = await report('2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z');
    expect(res.body.movements).toEqual([]);
  });

  it('counts the churn, and a churned paying account, in the month it ended', async () => {
    const res = await report('2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z');
    expect(res.body.movements).toEqual([
      { currency: 'usd', new: 0, expansion: 0, contraction: 0, churn: 1900, net: -1900 },
    ]);
    expect(res.body.lifetime_value).toEqual([
      { currency: 'usd', arpa: null, churn_rate: 1, gross_margin: 0.8, cltv: null },
    ]);
  });
});
