import { createTestApp, type TestApp } from '../support/test-app';
import {
  createAccount,
  DAY,
  mirrorSubscription,
  recordPurchase,
  promptsOf,
  reportUsage,
  SimulatedClock,
} from './support/http-fixtures';

let t: TestApp;
let clock: SimulatedClock;
const start = new Date();
beforeAll(async () => {
  t = await createTestApp();
  clock = new SimulatedClock(t, start);
});
afterAll(() => t.close());

describe('post-purchase cross-sell', () => {
  it('after an upgrade to Premium, the training offer appears on its configured day (7) and not before', async () => {
    await createAccount(t, 'acct_agency', {
      industry: 'agency',
      companySize: '11-50',
      signedUpAt: new Date(start.getTime() - 90 * DAY),
    });
    const training = async () =>
      (await promptsOf(t, 'acct_agency', { placement: 'post_purchase' })).filter(
        (p) => p.offer.code === 'training_agency',
      );
    expect(await training()).toEqual([]);

    await mirrorSubscription(t, {
      accountId: 'acct_agency',
      planCode: 'premium',
      interval: 'year',
      createdAt: start,
      periodStart: start,
      periodEnd: new Date(start.getTime() + 365 * DAY),
    });
    for (const day of [0, 1, 6]) {
      clock.set(new Date(start.getTime() + day * DAY + 3600e3));
      expect(await training()).toEqual([]);
    }
    clock.set(new Date(start.getTime() + 7 * DAY + 3600e3));
    const [offer] = await training();
    expect(offer).toMatchObject({
      kind: 'cross_sell',
      placement: 'post_purchase',
      offer: {
        type: 'addon',
        code: 'training_agency',
        interval: 'one_time',
        price: { amount: 29900, currency: 'usd', formatted: '$299.00' },
        renewal_terms: 'A single payment of $299.00; nothing renews.',
      },
      reason: { trigger: 'days_after_purchase', text: 'You are seeing this because you moved to Premium recently.' },
      copy: { title: 'Get your team up to speed with Onboarding training for agencies' },
    });
  });

  it('an upgrade of a long-running subscription counts from the purchase billing recorded', async () => {
    clock.set(start);
    const subscribedAt = new Date(start.getTime() - 200 * DAY);
    await createAccount(t, 'acct_upgrade', { industry: 'agency', signedUpAt: subscribedAt });
    await mirrorSubscription(t, {
      accountId: 'acct_upgrade',
      planCode: 'premium',
      createdAt: subscribedAt,
      periodStart: new Date(start.getTime() - 5 * DAY),
      periodEnd: new Date(start.getTime() + 25 * DAY),
    });
    await recordPurchase(t, 'acct_upgrade', {
      kind: 'plan_change',
      plan: 'premium',
      previousPlan: 'pro',
      paidAt: start,
    });
    const training = async () =>
      (await promptsOf(t, 'acct_upgrade', { placement: 'post_purchase' })).map((p) => p.offer.code);
    clock.set(new Date(start.getTime() + 6 * DAY));
    expect(await training()).toEqual([]);
    clock.set(new Date(start.getTime() + 7 * DAY + 3600e3));
    expect(await training()).toEqual(['training_agency']);
  });

  it('a training already bought is never offered again', async () => {
    clock.set(new Date(start.getTime() + 7 * DAY + 3600e3));
    await recordPurchase(t, 'acct_upgrade', {
      kind: 'add_on',
      plan: 'premium',
      previousPlan: 'premium',
      addOns: ['training_agency'],
      paidAt: new Date(start.getTime() + 7 * DAY + 7200e3),
    });
    clock.set(new Date(start.getTime() + 8 * DAY));
    expect(await promptsOf(t, 'acct_upgrade', { placement: 'post_purchase' })).toEqual([]);
  });

  it('a bundle offer shows its discount and saving', async () => {
    clock.set(start);
    await createAccount(t, 'acct_bundle', {
      country: 'DE',
      locale: 'de-DE',
      companySize: '11-50',
      signedUpAt: new Date(start.getTime() - 30 * DAY),
    });
    await reportUsage(t, 'acct_bundle', 'seats', 2);
    const bundle = (await promptsOf(t, 'acct_bundle', { placement: 'checkout' })).find((p) => p.kind === 'bundle');
    expect(bundle).toMatchObject({
      offer: {
        type: 'bundle',
        code: 'pro_growth',
        price: { amount: 5300, currency: 'eur' },
        savings: { amount: 600, currency: 'eur' },
        discount: { percent_off: 15, regular_price: { amount: 5900 } },
      },
      actions: [
        { type: 'purchase', quote: { bundle: 'pro_growth' } },
        { type: 'dismiss' },
        { type: 'snooze' },
        { type: 'never' },
      ],
    });
    const plain = (text: string) => text.replace(/\s/g, ' ');
    expect(plain(bundle?.offer.savings.words)).toBe('15 % Rabatt: 6,00 € gespart');
    expect(plain(bundle?.copy.title)).toBe('Pro-Wachstumspaket: alles zusammen, 6,00 € günstiger');
    expect(plain(bundle?.offer.renewal_terms)).toBe(
      '53,00 € auf der ersten Rechnung, danach 53,00 € pro Monat, bis Sie kündigen. Jederzeit kündbar.',
    );
  });
});
