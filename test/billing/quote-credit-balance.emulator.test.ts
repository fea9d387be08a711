import request from 'supertest';
import {
  change,
  freeAccount,
  paidAccount,
  payCheckout,
  quote,
  startBillingHarness,
  type BillingHarness,
} from './support/billing-harness';
import { adminAuth } from '../support/tokens';

/**
 * A one-time purchase by a customer holding an operator's credit (found by the money model,
 * test/money: charge_equals_quote). Stripe applies the customer balance to invoices only
 * (docs.stripe.com/billing/customer/balance); Checkout in payment mode charges the lines in full.
 * So the quote promises what the path it takes will charge: the saved card pays an invoice (credit
 * used), a customer without a card pays Checkout (credit kept for the next invoice).
 */
let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness({ webhooks: true });
});
afterAll(async () => h?.close());

const credit = (accountId: string, amount: number) =>
  request(h.app)
    .post(`/admin/v1/customers/${accountId}/credits`)
    .set('Authorization', adminAuth)
    .send({ amount, currency: 'usd', reason: 'goodwill' });

async function settledPurchase(accountId: string): Promise<string | undefined> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const [row] = await h.db.dataSource.query('SELECT amount FROM purchases WHERE account_id = $1', [accountId]);
    if (row) return String(row.amount);
    await h.emulator.control.waitForDeliveries();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}

it('without a saved card the quote is the full price that Checkout charges, and the credit is kept', async () => {
  const free = await freeAccount(h);
  expect((await credit(free.accountId, 100)).status).toBe(200);
  const quoted = await quote(h, free.auth, { add_ons: [{ code: 'seo_setup', quantity: 1 }] });
  expect(quoted.status).toBe(201);
  const changed = await change(h, free.auth, quoted.body.id);
  expect(changed.body.status).toBe('checkout_required');
  expect((await payCheckout(changed.body.checkout_url, 'pm_card_visa')).status).toBe(303);

  const charged = await settledPurchase(free.accountId);
  expect(charged).toBeDefined();
  expect(quoted.body.amount_due_now).toBe(Number(charged));
  const [account] = await h.db.dataSource.query('SELECT stripe_customer_id FROM accounts WHERE id = $1', [
    free.accountId,
  ]);
  const customer = await h.stripe.customers.retrieve(account.stripe_customer_id);
  expect(customer).toMatchObject({ balance: -100 });
});

it('with a saved card the quote uses the credit, as the invoice the card pays does', async () => {
  const paid = await paidAccount(h);
  expect((await credit(paid.accountId, 100)).status).toBe(200);
  const quoted = await quote(h, paid.auth(), { add_ons: [{ code: 'seo_setup', quantity: 1 }] });
  const changed = await change(h, paid.auth(), quoted.body.id);
  expect(changed.status).toBe(200);
  expect(changed.body.amount_charged).toBe(quoted.body.amount_due_now);
  const charges = await h.stripe.charges.list({ customer: paid.customerId, limit: 100 });
  expect(charges.data.map((charge) => charge.amount)).toContain(quoted.body.amount_due_now);
  const customer = await h.stripe.customers.retrieve(paid.customerId);
  expect(customer).toMatchObject({ balance: 0 });
});
