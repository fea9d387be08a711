import type Stripe from 'stripe';
import request from 'supertest';
import {
  advanceClock,
  customerOnClock,
  monthlyPrice,
  startHarness,
  type Harness,
} from '../../packages/stripe-emulator/test/support/emulator-harness';
import { createTestApp, type TestApp } from '../support/test-app';
import { bearer, userToken } from '../support/tokens';
import { DAY, createAccount, mirrorSubscription, postUsage, usageEvent } from './support/usage-fixtures';

let t: TestApp;
let harness: Harness;
beforeAll(async () => {
  [t, harness] = await Promise.all([createTestApp(), startHarness()]);
});
afterAll(async () => {
  await harness.emulator.close();
  await t.close();
});

const toDate = (unixSeconds: number) => new Date(unixSeconds * 1000);

/** Writes the mirror row from the subscription as Stripe returns it (what the webhook handler does). */
async function mirrorFromStripe(accountId: string, subscription: Stripe.Subscription): Promise<void> {
  const item = subscription.items.data[0] as Stripe.SubscriptionItem;
  await mirrorSubscription(t, {
    id: subscription.id,
    accountId,
    planCode: 'pro',
    status: subscription.status,
    interval: item.price.recurring?.interval === 'year' ? 'year' : 'month',
    anchor: toDate(subscription.billing_cycle_anchor),
    periodStart: toDate(item.current_period_start),
    periodEnd: toDate(item.current_period_end),
  });
}

async function apiCalls(accountId: string) {
  const res = await request(t.app)
    .get('/v1/entitlements/api_calls')
    .set('Authorization', bearer(userToken(accountId)));
  expect(res.status).toBe(200);
  return res.body;
}

describe('period rollover driven by the Stripe emulator test clock', () => {
  it('starts a fresh counter period at the renewal Stripe makes, and late events still land in the old one', async () => {
    const { stripe } = harness;
    const start = Math.floor((Date.now() - 35 * DAY) / 1000);
    await createAccount(t, 'acct_clock', toDate(start - 10 * 86400));
    const { customer, clock } = await customerOnClock(stripe, start);
    const price = await monthlyPrice(stripe, { amount: 1900 });
    const created = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    await mirrorFromStripe('acct_clock', created);
    const firstItem = created.items.data[0] as Stripe.SubscriptionItem;

    await postUsage(t, {
      events: [usageEvent('acct_clock', { quantity: 40, timestamp: toDate(start + 2 * 86400).toISOString() })],
    });

    // Advance through the renewal to (about) now; the webhook would then mirror the renewed subscription.
    await advanceClock(stripe, clock.id, Math.floor(Date.now() / 1000) - 60);
    const renewed = await stripe.subscriptions.retrieve(created.id);
    const renewedItem = renewed.items.data[0] as Stripe.SubscriptionItem;
    expect(renewedItem.current_period_start).toBe(firstItem.current_period_end);
    await mirrorFromStripe('acct_clock', renewed);

    const fresh = await apiCalls('acct_clock');
    expect(fresh).toMatchObject({
      used: 0,
      period_start: toDate(renewedItem.current_period_start).toISOString(),
      period_end: toDate(renewedItem.current_period_end).toISOString(),
    });

    await postUsage(t, {
      events: [
        usageEvent('acct_clock', { quantity: 5 }),
        // Late: happened a minute before the renewal, delivered after it.
        usageEvent('acct_clock', {
          quantity: 2,
          timestamp: toDate(renewedItem.current_period_start - 60).toISOString(),
        }),
      ],
    });
    expect((await apiCalls('acct_clock')).used).toBe(5);
    const rows = await t.db.dataSource.query(
      `SELECT (extract(epoch FROM period_start))::bigint AS start, used::int FROM usage_counters WHERE account_id = 'acct_clock' ORDER BY 1`,
    );
    expect(rows).toEqual([
      { start: String(firstItem.current_period_start), used: 42 },
      { start: String(renewedItem.current_period_start), used: 5 },
    ]);
  });
});
