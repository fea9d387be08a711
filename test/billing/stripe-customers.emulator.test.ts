import request from 'supertest';
import type { Stripe } from '../../src/stripe/stripe-client';
import { bearer, serverAuth, userToken } from '../support/tokens';
import { startBillingHarness, stripeWrites, type BillingHarness } from './support/billing-harness';

let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness();
});
afterAll(async () => h?.close());

const upsert = (id: string, email: string) =>
  request(h.app)
    .put(`/v1/accounts/${id}`)
    .set('Authorization', serverAuth)
    .send({ name: 'Kuwait Co', email, country: 'KW', locale: 'en' });

describe('Stripe customers', () => {
  it('creates the customer on upsert once (key customer-<account id>) and keeps it in step', async () => {
    await h.emulator.control.clearRequestLog();
    expect((await upsert('acct_kw_1', 'first@example.com')).status).toBe(201);
    const [row] = await h.db.dataSource.query('SELECT stripe_customer_id FROM accounts WHERE id = $1', ['acct_kw_1']);
    expect(row.stripe_customer_id).toMatch(/^cus_/);
    expect((await upsert('acct_kw_1', 'second@example.com')).status).toBe(200);
    const creates = await stripeWrites(h, (path) => path === '/v1/customers');
    expect(creates.map((entry) => entry.idempotencyKey)).toEqual(['customer-acct_kw_1']);
    const customer = (await h.stripe.customers.retrieve(row.stripe_customer_id)) as Stripe.Customer;
    expect(customer).toMatchObject({ email: 'second@example.com', metadata: { tierlift_account_id: 'acct_kw_1' } });
  });

  it('shows the price list currency and no subscription on GET /v1/account for a free account', async () => {
    await upsert('acct_kw_2', 'kw2@example.com');
    const response = await request(h.app)
      .get('/v1/account')
      .set('Authorization', bearer(userToken('acct_kw_2')));
    expect(response.body).toMatchObject({ subscription: null, currency: 'kwd', add_ons: [], pending_change: null });
  });

  // STRIPE.md, docs.stripe.com/api/idempotent_requests: a 500 is saved under its key and replayed.
  it('is not blocked by a 500 Stripe saved under customer-<account id>', async () => {
    await h.emulator.control.clearRequestLog();
    await h.emulator.control.injectFault({ method: 'POST', path: '/v1/customers', kind: 'api_error_500' });
    expect((await upsert('acct_kw_3', 'kw3@example.com')).status).toBe(201);
    const [before] = await h.db.dataSource.query('SELECT stripe_customer_id FROM accounts WHERE id = $1', [
      'acct_kw_3',
    ]);
    expect(before.stripe_customer_id).toBeNull();
    const quoted = await request(h.app)
      .post('/v1/quotes')
      .set('Authorization', bearer(userToken('acct_kw_3')))
      .send({ plan: 'pro' });
    expect(quoted.status).toBe(201);
    const creates = await stripeWrites(h, (path) => path === '/v1/customers');
    expect(creates.map((entry) => [entry.idempotencyKey, entry.status])).toEqual([
      ['customer-acct_kw_3', 500],
      ['customer-acct_kw_3', 500],
      ['customer-acct_kw_3-r1', 200],
    ]);
  });
});
