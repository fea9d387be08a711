import request from 'supertest';
import { upsertInvoice, type InvoiceMirror } from '../../src/webhooks/invoice-mirror';
import { createTestApp, type TestApp } from '../support/test-app';
import { bearer, userToken } from '../support/tokens';

let t: TestApp;
const T0 = Date.UTC(2026, 0, 15) / 1000;

const mirror = (id: string, accountId: string, extra: Partial<InvoiceMirror> = {}): InvoiceMirror => ({
  id,
  accountId,
  customerId: `cus_${accountId}`,
  subscriptionId: 'sub_1',
  status: 'paid',
  currency: 'usd',
  amountDue: 4900,
  amountPaid: 4900,
  amountRemaining: 0,
  total: 4900,
  billingReason: 'subscription_cycle',
  periodStart: T0,
  periodEnd: T0 + 30 * 86400,
  paidAt: T0,
  lines: [],
  paymentIntentIds: [],
  stripeCreatedAt: T0,
  number: `${id.toUpperCase()}-0001`,
  hostedInvoiceUrl: `https://invoice.stripe.test/${id}`,
  invoicePdf: `https://invoice.stripe.test/${id}/pdf`,
  ...extra,
});

beforeAll(async () => {
  t = await createTestApp();
  for (const id of ['acct_inv', 'acct_inv_other']) {
    await t.services.accounts.upsert({
      id,
      name: id,
      email: `${id}@example.test`,
      country: 'US',
      locale: 'en-US',
      industry: null,
      companySize: null,
      signedUpAt: null,
    });
  }
  await t.db.dataSource.transaction(async (manager) => {
    await upsertInvoice(manager, mirror('in_old', 'acct_inv'));
    await upsertInvoice(manager, mirror('in_new', 'acct_inv', { stripeCreatedAt: T0 + 30 * 86400 }));
    await upsertInvoice(
      manager,
      mirror('in_draft', 'acct_inv', { status: 'draft', number: null, hostedInvoiceUrl: null, invoicePdf: null }),
    );
    await upsertInvoice(manager, mirror('in_theirs', 'acct_inv_other'));
  });
});
afterAll(() => t.close());

const invoices = (accountId: string, query = '', role: 'owner' | 'member' = 'owner') =>
  request(t.app)
    .get(`/v1/invoices${query}`)
    .set('Authorization', bearer(userToken(accountId, role)));

describe('GET /v1/invoices', () => {
  it("lists the account's finalized invoices, newest first, with the hosted page and the PDF", async () => {
    const res = await invoices('acct_inv');
    expect(res.status).toBe(200);
    expect(res.body.data.map((i: { id: string }) => i.id)).toEqual(['in_new', 'in_old']);
    expect(res.body.data[0]).toMatchObject({
      object: 'invoice',
      number: 'IN_NEW-0001',
      status: 'paid',
      currency: 'usd',
      total: 4900,
      hosted_invoice_url: 'https://invoice.stripe.test/in_new',
      invoice_pdf: 'https://invoice.stripe.test/in_new/pdf',
    });
    expect(res.body.has_more).toBe(false);
  });

  it('reads for members too (the billing page is read-only for them)', async () => {
    const res = await invoices('acct_inv', '', 'member');
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(2);
  });

  it("never shows another account's invoices", async () => {
    const res = await invoices('acct_inv_other');
    expect(res.body.data.map((i: { id: string }) => i.id)).toEqual(['in_theirs']);
  });

  it('pages with limit and says when there is more', async () => {
    const res = await invoices('acct_inv', '?limit=1');
    expect(res.body.data.map((i: { id: string }) => i.id)).toEqual(['in_new']);
    expect(res.body.has_more).toBe(true);
  });

  it.each(['?limit=0', '?limit=101', '?limit=x', '?customer=cus_acct_inv_other'])(
    'answers %s with a 422',
    async (query) => {
      const res = await invoices('acct_inv', query);
      expect(res.status).toBe(422);
    },
  );

  it('answers 401 without a token', async () => {
    expect((await request(t.app).get('/v1/invoices')).status).toBe(401);
  });
});
