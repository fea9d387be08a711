import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app';
import { bearer, userToken } from '../support/tokens';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  for (const id of ['acct_ask', 'acct_other']) {
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
});
afterAll(() => t.close());

const as = (accountId: string, role: 'owner' | 'admin' | 'member', userId = `user_${role}`) =>
  bearer(userToken(accountId, role, { sub: userId }));
const ask = (authorization: string, body: unknown) =>
  request(t.app)
    .post('/v1/admin-requests')
    .set('Authorization', authorization)
    .send(body as object);
const list = (authorization: string) => request(t.app).get('/v1/admin-requests').set('Authorization', authorization);
const events = async (accountId: string) =>
  (await t.db.dataSource.query(
    `SELECT type, data FROM outbound_events WHERE account_id = $1 AND type = 'admin.request' ORDER BY seq`,
    [accountId],
  )) as Array<{ type: string; data: Record<string, unknown> }>;

describe('ask your admin: /v1/admin-requests', () => {
  it('a member asks; the row and its admin.request event are written together; the owner reads it', async () => {
    const res = await ask(as('acct_ask', 'member', 'user_mia'), { kind: 'upgrade', message: 'We hit the API limit.' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      object: 'admin_request',
      kind: 'upgrade',
      message: 'We hit the API limit.',
      status: 'open',
      requested_by: 'user_mia',
      role: 'member',
    });
    expect(res.body.id).toMatch(/^areq_/);
    expect(await events('acct_ask')).toEqual([
      {
        type: 'admin.request',
        data: {
          request_id: res.body.id,
          kind: 'upgrade',
          message: 'We hit the API limit.',
          requested_by: 'user_mia',
          role: 'member',
        },
      },
    ]);
    const owner = await list(as('acct_ask', 'owner'));
    expect(owner.status).toBe(200);
    expect(owner.body.data.map((r: { id: string }) => r.id)).toEqual([res.body.id]);
  });

  it('keeps accounts apart: another account sees none of them', async () => {
    const other = await list(as('acct_other', 'owner'));
    expect(other.status).toBe(200);
    expect(other.body.data).toEqual([]);
    expect(await events('acct_other')).toEqual([]);
  });

  it('lets members ask but not read', async () => {
    const res = await list(as('acct_ask', 'member'));
    expect(res.status).toBe(403);
  });

  it.each([
    [{}, 'kind'],
    [{ kind: 'refund' }, 'kind'],
    [{ kind: 'other', message: '' }, 'message'],
    [{ kind: 'other', message: 'x'.repeat(1001) }, 'message'],
    [{ kind: 'other', extra: 1 }, 'extra'],
  ])('refuses %j with a 422 naming %s, and writes nothing', async (body, param) => {
    const before = (await events('acct_ask')).length;
    const res = await ask(as('acct_ask', 'member'), body);
    expect(res.status).toBe(422);
    expect(res.body.error.param).toBe(param);
    expect((await events('acct_ask')).length).toBe(before);
  });

  it('answers 404 for an account the SaaS has not created, and writes no event', async () => {
    const res = await ask(as('acct_missing', 'member'), { kind: 'cancel' });
    expect(res.status).toBe(404);
    expect(await events('acct_missing')).toEqual([]);
  });
});
