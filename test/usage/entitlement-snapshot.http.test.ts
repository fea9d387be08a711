import request from 'supertest';
import { verifySnapshot, type SignedSnapshot } from '@tierlift/node-client';
import { createTestApp, type TestApp } from '../support/test-app';
import { TEST_KEYS } from '../support/test-config';
import { bearer, serverAuth, userToken } from '../support/tokens';
import { createAccount, postUsage, usageEvent } from './support/usage-fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await createAccount(t, 'acct_snap');
});
afterAll(() => t.close());

const snapshot = (query: string, auth = serverAuth) =>
  request(t.app).get(`/v1/entitlements/snapshot${query}`).set('Authorization', auth);

describe('GET /v1/entitlements/snapshot', () => {
  it('returns the account’s entitlements signed with the server key, current after each write', async () => {
    await postUsage(t, { events: [usageEvent('acct_snap', { quantity: 4 })] }).expect(200);
    const first = await snapshot('?account_id=acct_snap');
    expect(first.status).toBe(200);
    const body = first.body as SignedSnapshot;
    expect(body.snapshot).toMatchObject({ object: 'entitlement_snapshot', account_id: 'acct_snap', plan: 'free' });
    expect(verifySnapshot(body.snapshot, body.signature, TEST_KEYS.server)).toBe(true);
    expect(Date.parse(body.snapshot.valid_until)).toBeGreaterThan(Date.parse(body.snapshot.issued_at));
    const apiCalls = () => (body.snapshot.entitlements.find((e) => e.feature === 'api_calls') as { used: number }).used;
    expect(apiCalls()).toBe(4);

    await postUsage(t, { events: [usageEvent('acct_snap', { quantity: 1 })] }).expect(200);
    const after = (await snapshot('?account_id=acct_snap')).body as SignedSnapshot;
    expect(after.snapshot.entitlements.find((e) => e.feature === 'api_calls')).toMatchObject({ used: 5 });
  });

  it('answers bad input with a 4xx naming the problem', async () => {
    const missing = await snapshot('');
    expect(missing.status).toBe(422);
    expect(missing.body.error.param).toContain('account_id');
    expect((await snapshot('?account_id=acct_snap&extra=1')).status).toBe(422);
    expect((await snapshot(`?account_id=${'x'.repeat(65)}`)).status).toBe(422);
    const unknown = await snapshot('?account_id=acct_nobody');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.param).toBe('account_id');
  });

  it('is for the SaaS backend: an end user’s token is refused', async () => {
    expect((await snapshot('?account_id=acct_snap', bearer(userToken('acct_snap')))).status).toBe(403);
  });
});

describe('GET /v1/entitlements/stream', () => {
  it('refuses an end user’s token and unknown query parameters', async () => {
    const user = await request(t.app)
      .get('/v1/entitlements/stream')
      .set('Authorization', bearer(userToken('acct_snap')));
    expect(user.status).toBe(403);
    const extra = await request(t.app).get('/v1/entitlements/stream?since=1').set('Authorization', serverAuth);
    expect(extra.status).toBe(422);
  });
});
