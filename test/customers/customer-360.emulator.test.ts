import request from 'supertest';
import { paidAccount, startBillingHarness, type BillingHarness } from '../billing/support/billing-harness';
import { adminAuth, bearer } from '../support/tokens';

/**
 * Customer 360 (issue #23): search by id, e-mail or name, one account's timeline, and cancel /
 * resume done by an operator through the end user's billing use case (the journal, Stripe's
 * subscription checked on the emulator afterwards), each in the audit log under the operator's name.
 */
let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness();
});
afterAll(() => h.close());

describe('customer 360', () => {
  it('finds an account by id, e-mail and name, and shows its timeline; cancel and resume reach Stripe', async () => {
    const paid = await paidAccount(h);
    await h.db.dataSource.query("UPDATE accounts SET name = 'Zebra Works' WHERE id = $1", [paid.accountId]);
    const created = await request(h.app)
      .post('/admin/v1/operators')
      .set('Authorization', adminAuth)
      .send({ name: 'Otto', role: 'operator' });
    const otto = bearer(created.body.key);
    const search = async (q: string) =>
      (await request(h.app).get('/admin/v1/customers').query({ q }).set('Authorization', otto)).body.data.map(
        (c: { id: string }) => c.id,
      );
    expect(await search(paid.accountId)).toEqual([paid.accountId]);
    expect(await search(`${paid.accountId}@EXAMPLE.com`)).toEqual([paid.accountId]);
    expect(await search('zebra')).toEqual([paid.accountId]);
    expect(await search('100%_nobody')).toEqual([]);

    const cancel = await request(h.app)
      .post(`/admin/v1/customers/${paid.accountId}/cancel`)
      .set('Authorization', otto)
      .send({});
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({ object: 'change', status: 'cancel_scheduled' });
    expect((await h.stripe.subscriptions.retrieve(paid.subscription.id)).cancel_at_period_end).toBe(true);

    const resume = await request(h.app)
      .post(`/admin/v1/customers/${paid.accountId}/resume`)
      .set('Authorization', otto)
      .send({});
    expect(resume.body).toMatchObject({ status: 'resumed' });
    expect((await h.stripe.subscriptions.retrieve(paid.subscription.id)).cancel_at_period_end).toBe(false);

    const customer = await request(h.app).get(`/admin/v1/customers/${paid.accountId}`).set('Authorization', otto);
    expect(customer.body).toMatchObject({
      id: paid.accountId,
      name: 'Zebra Works',
      stripe_customer_id: paid.customerId,
    });
    const kinds = customer.body.timeline.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['change.cancel', 'change.resume']));

    const log = await request(h.app)
      .get(`/admin/v1/audit-log?actor_id=${created.body.id}`)
      .set('Authorization', adminAuth);
    expect(log.body.data.map((e: { action: string; target: string }) => `${e.action} ${e.target}`)).toEqual([
      `POST /admin/v1/customers/:id/resume ${paid.accountId}`,
      `POST /admin/v1/customers/:id/cancel ${paid.accountId}`,
    ]);
  });

  it('answers an unknown account with 404 and a malformed id with 422', async () => {
    expect((await request(h.app).get('/admin/v1/customers/acct_none').set('Authorization', adminAuth)).status).toBe(
      404,
    );
    expect((await request(h.app).get('/admin/v1/customers/a%20b').set('Authorization', adminAuth)).status).toBe(422);
    expect(
      (await request(h.app).post('/admin/v1/customers/acct_none/cancel').set('Authorization', adminAuth).send({ x: 1 }))
        .status,
    ).toBe(422);
  });
});
