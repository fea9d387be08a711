import request from 'supertest';
import { paidAccount, startBillingHarness, type BillingHarness } from '../billing/support/billing-harness';
import { at, buy, claim, DAY_MS, writes } from './support/guarantee-harness';

let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness();
});
afterAll(async () => h?.close());

describe('a recurring add-on refunded under the guarantee', () => {
  it('refunds its charge and removes it without proration or a new invoice', async () => {
    const account = await paidAccount(h, { currency: 'usd' });
    const addOn = await buy(h, account.auth(), { add_ons: [{ code: 'priority_support', quantity: 1 }] });
    const invoicesBefore = (await h.stripe.invoices.list({ customer: account.customerId, limit: 100 })).data.length;
    at(h, addOn, 14 * DAY_MS);
    await h.emulator.control.clearRequestLog();

    const refunded = await claim(h, account.auth(), addOn.id);
    expect(refunded.status).toBe(200);
    expect(refunded.body).toMatchObject({ amount: addOn.amount, product: 'add_on:priority_support' });
    const update = (await writes(h)).find((entry) => entry.path.startsWith('/v1/subscriptions/'));
    expect(update?.params).toMatchObject({ proration_behavior: 'none' });
    const subscription = await h.stripe.subscriptions.retrieve(account.subscription.id);
    expect(subscription.items.data.map((item) => item.price.lookup_key)).toEqual(['tierlift_plan_pro_month']);
    expect((await h.stripe.invoices.list({ customer: account.customerId, limit: 100 })).data).toHaveLength(
      invoicesBefore,
    );
    const shown = await request(h.app).get('/v1/account').set('Authorization', account.auth());
    expect(shown.body.add_ons).toEqual([]);
  });

  it('refunding an upgrade keeps an add-on bought after it', async () => {
    const account = await paidAccount(h, { currency: 'usd' });
    const upgrade = await buy(h, account.auth(), { plan: 'premium' });
    await buy(h, account.auth(), { add_ons: [{ code: 'extra_seats', quantity: 3 }] });
    at(h, upgrade, DAY_MS);

    expect((await claim(h, account.auth(), upgrade.id)).status).toBe(200);
    const subscription = await h.stripe.subscriptions.retrieve(account.subscription.id);
    expect(subscription.items.data.find((item) => item.price.lookup_key?.includes('seats'))?.quantity).toBe(3);
    expect(subscription.items.data.map((item) => item.price.lookup_key).sort()).toEqual(
      ['tierlift_addon_extra_seats_month', 'tierlift_plan_pro_month'].sort(),
    );
  });
});
