import request from 'supertest';
import type { Stripe } from '../../src/stripe/stripe-client';
import {
  change,
  freeAccount,
  mirroredPlan,
  quote,
  startBillingHarness,
  stripeWrites,
  type BillingHarness,
  payCheckout as pay,
} from './support/billing-harness';

let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness();
});
afterAll(async () => h?.close());

describe('free → paid through Checkout', () => {
  it('quotes the first invoice at full price, opens Checkout, and records the purchase once paid', async () => {
    const account = await freeAccount(h, 'JP');
    const quoted = await quote(h, account.auth, { plan: 'pro', trial: false });
    expect(quoted.status).toBe(201);
    expect(quoted.body).toMatchObject({
      currency: 'jpy',
      amount_due_now: 2800,
      checkout_required: true,
      change: { kind: 'checkout' },
    });
    const customers = await stripeWrites(h, (path) => path === '/v1/customers');
    expect(customers.map((entry) => entry.idempotencyKey)).toContain(`customer-${account.accountId}`);

    const changed = await change(h, account.auth, quoted.body.id);
    expect(changed.status).toBe(200);
    expect(changed.body.status).toBe('checkout_required');
    expect(changed.body.checkout_url).toMatch(/\/checkout\/cs_/);

    expect((await pay(changed.body.checkout_url, 'pm_card_visa')).status).toBe(303);
    const report = await h.billing.finishInterruptedOperations();
    expect(report.completed).toBe(1);
    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'pro', interval: 'month' });
    const [purchase] = await h.db.dataSource.query('SELECT * FROM purchases WHERE account_id = $1', [
      account.accountId,
    ]);
    expect(purchase).toMatchObject({ kind: 'subscription_start', currency: 'jpy', amount: '2800' });
    const invoice: Stripe.Invoice = await h.stripe.invoices.retrieve(purchase.stripe_invoice_id);
    expect(invoice.amount_paid).toBe(quoted.body.amount_due_now);

    const shown = await request(h.app)
      .get(`/v1/changes/${changed.body.operation_id}`)
      .set('Authorization', account.auth);
    expect(shown.body).toMatchObject({ status: 'applied', subscription: { plan: 'pro' } });
  });
});
