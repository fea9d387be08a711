import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app';
import { adminAuth, bearer, serverAuth, userToken } from '../support/tokens';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const validAccount = {
  name: 'Acme GmbH',
  email: 'Billing@Acme.example',
  country: 'de',
  locale: 'de-de',
  industry: 'construction',
  company_size: '11-50',
  created_at: '2026-01-15T10:00:00Z',
};

const countRows = async () => Number((await t.db.dataSource.query('SELECT count(*)::int AS n FROM accounts'))[0].n);

describe('PUT /v1/accounts/{account_id}', () => {
  it('creates an account with canonical country and locale, then updates it', async () => {
    const created = await request(t.app).put('/v1/accounts/acct_1').set('Authorization', serverAuth).send(validAccount);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: 'acct_1',
      country: 'DE',
      locale: 'de-DE',
      email: 'billing@acme.example',
      company_size: '11-50',
    });
    expect(created.headers['request-id']).toMatch(/^req_/);

    const updated = await request(t.app)
      .put('/v1/accounts/acct_1')
      .set('Authorization', serverAuth)
      .send({ ...validAccount, name: 'Acme AG' });
    expect(updated.status).toBe(200);
    expect(updated.body.name).toBe('Acme AG');
    expect(updated.body.created_at).toBe('2026-01-15T10:00:00.000Z');
  });

  it('refuses an end-user token and the admin key with 403, and no credential with 401', async () => {
    const user = await request(t.app)
      .put('/v1/accounts/acct_x')
      .set('Authorization', bearer(userToken('acct_x')))
      .send(validAccount);
    expect(user.status).toBe(403);
    expect(user.body.error.type).toBe('permission_error');
    const admin = await request(t.app).put('/v1/accounts/acct_x').set('Authorization', adminAuth).send(validAccount);
    expect(admin.status).toBe(403);
    const none = await request(t.app).put('/v1/accounts/acct_x').send(validAccount);
    expect(none.status).toBe(401);
    expect(none.body.error).toMatchObject({ type: 'authentication_error', request_id: expect.stringMatching(/^req_/) });
  });

  const badBodies: Array<[string, unknown, string]> = [
    ['an unknown field', { ...validAccount, plan: 'premium' }, 'plan'],
    ['a wrong type', { ...validAccount, name: 42 }, 'name'],
    ['an invalid email', { ...validAccount, email: 'not-an-email' }, 'email'],
    ['an unknown country', { ...validAccount, country: 'XX' }, 'country'],
    ['an invalid locale', { ...validAccount, locale: 'english please' }, 'locale'],
    ['a company size outside the list', { ...validAccount, company_size: 'huge' }, 'company_size'],
    ['a created_at in the future', { ...validAccount, created_at: '2999-01-01T00:00:00Z' }, 'created_at'],
    ['a missing name', { ...validAccount, name: undefined }, 'name'],
  ];
  it.each(badBodies)('rejects %s with 422 naming the param and writes nothing', async (_what, body, param) => {
    const before = await countRows();
    const res = await request(t.app)
      .put('/v1/accounts/acct_bad')
      .set('Authorization', serverAuth)
      .send(body as object);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code: 'validation_failed', param });
    expect(await countRows()).toBe(before);
  });

  it('rejects an account id with forbidden characters', async () => {
    const res = await request(t.app).put('/v1/accounts/bad%20id!').set('Authorization', serverAuth).send(validAccount);
    expect(res.status).toBe(422);
    expect(res.body.error.param).toBe('account_id');
  });

  it('answers malformed JSON with 400 and an oversized body with 413', async () => {
    const malformed = await request(t.app)
      .put('/v1/accounts/acct_json')
      .set('Authorization', serverAuth)
      .set('Content-Type', 'application/json')
      .send('{"name": "x",');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_json');
    const huge = await request(t.app)
      .put('/v1/accounts/acct_json')
      .set('Authorization', serverAuth)
      .send({ ...validAccount, industry: 'x'.repeat(200_000) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('body_too_large');
    expect(await t.db.dataSource.query("SELECT 1 FROM accounts WHERE id = 'acct_json'")).toHaveLength(0);
  });
});

describe('GET /v1/account', () => {
  beforeAll(async () => {
    await request(t.app).put('/v1/accounts/acct_own').set('Authorization', serverAuth).send(validAccount).expect(201);
    await request(t.app)
      .put('/v1/accounts/acct_other')
      .set('Authorization', serverAuth)
      .send({ ...validAccount, name: 'Other' })
      .expect(201);
  });

  it('returns the caller’s own account only', async () => {
    const res = await request(t.app)
      .get('/v1/account')
      .set('Authorization', bearer(userToken('acct_own', 'member')));
    expect(res.status).toBe(200);
    expect(res.body.id).toBe('acct_own');
    expect(res.body.name).toBe('Acme GmbH');
  });

  it('answers 404 when the token names an account Tierlift does not know', async () => {
    const res = await request(t.app)
      .get('/v1/account')
      .set('Authorization', bearer(userToken('acct_unknown')));
    expect(res.status).toBe(404);
    expect(res.body.error.type).toBe('not_found');
  });

  it('lets an operator read any account and refuses end users on the admin route', async () => {
    const admin = await request(t.app).get('/admin/v1/accounts/acct_other').set('Authorization', adminAuth);
    expect(admin.status).toBe(200);
    expect(admin.body.name).toBe('Other');
    const user = await request(t.app)
      .get('/admin/v1/accounts/acct_other')
      .set('Authorization', bearer(userToken('acct_own')));
    expect(user.status).toBe(403);
    const server = await request(t.app).get('/admin/v1/accounts/acct_other').set('Authorization', serverAuth);
    expect(server.status).toBe(403);
  });
});

describe('operations', () => {
  it('serves health, readiness and Prometheus metrics, and 404s unknown routes in the error shape', async () => {
    await request(t.app).get('/healthz').expect(200);
    const ready = await request(t.app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks.database).toBe('ok');
    const metrics = await request(t.app).get('/metrics');
    expect(metrics.text).toContain('tierlift_http_request_duration_seconds_bucket');
    expect(metrics.text).toContain('route="/healthz"');
    const missing = await request(t.app).get('/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ type: 'not_found', code: 'resource_missing' });
    expect(missing.headers['x-powered-by']).toBeUndefined();
  });
});
