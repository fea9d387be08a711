import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app';
import { bearer, serverAuth, userToken } from '../support/tokens';
import { createAccount, daysAgo, daysAhead, mirrorSubscription, postUsage, usageEvent } from './support/usage-fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await createAccount(t, 'acct_alice');
  await createAccount(t, 'acct_bob');
  await mirrorSubscription(t, {
    accountId: 'acct_bob',
    planCode: 'pro',
    anchor: daysAgo(5),
    periodStart: daysAgo(5),
    periodEnd: daysAhead(25),
    addOns: [{ code: 'extra_seats', quantity: 2 }],
  });
  await postUsage(t, {
    events: [
      usageEvent('acct_alice', { quantity: 999 }),
      usageEvent('acct_alice', { feature: 'seats', action: 'set', quantity: 2 }),
      usageEvent('acct_bob', { quantity: 12 }),
      usageEvent('acct_bob', { feature: 'seats', action: 'set', quantity: 12 }),
    ],
  }).expect(200);
});
afterAll(() => t.close());

const get = (path: string, accountId: string, role: 'owner' | 'admin' | 'member' = 'member') =>
  request(t.app)
    .get(path)
    .set('Authorization', bearer(userToken(accountId, role)));

describe('GET /v1/entitlements', () => {
  it('lists every feature of the caller’s plan: limits with use, and booleans', async () => {
    const res = await get('/v1/entitlements', 'acct_bob');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ account_id: 'acct_bob', plan: 'pro' });
    const byFeature = Object.fromEntries(res.body.data.map((e: { feature: string }) => [e.feature, e]));
    expect(byFeature.api_calls).toMatchObject({
      type: 'metered',
      kind: 'counter',
      limit: 50000,
      used: 12,
      remaining: 49988,
      percent: 0,
    });
    expect(byFeature.seats).toMatchObject({ kind: 'gauge', limit: 12, used: 12, remaining: 0, percent: 100 });
    expect(byFeature.time_tracking).toEqual({ feature: 'time_tracking', type: 'boolean', enabled: true });
    expect(byFeature.sso).toEqual({ feature: 'sso', type: 'boolean', enabled: false });
    expect(Date.parse(byFeature.api_calls.period_end)).toBeGreaterThan(Date.now());
  });

  it('never shows one account another account’s entitlements', async () => {
    const alice = await get('/v1/entitlements', 'acct_alice');
    expect(alice.body.account_id).toBe('acct_alice');
    expect(alice.body.plan).toBe('free');
    const apiCalls = alice.body.data.find((e: { feature: string }) => e.feature === 'api_calls');
    expect(apiCalls).toMatchObject({ limit: 1000, used: 999 });
    const bobSeats = await get('/v1/entitlements/seats', 'acct_bob');
    expect(bobSeats.body.used).toBe(12);
    const aliceSeats = await get('/v1/entitlements/seats', 'acct_alice');
    expect(aliceSeats.body.used).toBe(2);
    // There is no way to name another account: the account comes from the token alone.
    const sneaky = await get('/v1/entitlements?account_id=acct_bob', 'acct_alice');
    expect(sneaky.status).toBe(200);
    expect(sneaky.body.account_id).toBe('acct_alice');
    expect((await get('/v1/entitlements', 'acct_ghost')).status).toBe(404);
  });

  it('is for end users: the server and admin keys and no token are refused', async () => {
    expect((await request(t.app).get('/v1/entitlements').set('Authorization', serverAuth)).status).toBe(403);
    expect((await request(t.app).get('/v1/entitlements')).status).toBe(401);
  });
});

describe('GET /v1/entitlements/{feature}', () => {
  it('allows while used is under the limit and refuses at it, naming the smallest plan', async () => {
    const one = await get('/v1/entitlements/api_calls', 'acct_alice');
    expect(one.body).toMatchObject({
      feature: 'api_calls',
      allowed: true,
      used: 999,
      limit: 1000,
      remaining: 1,
      upgrade: null,
    });
    const two = await get('/v1/entitlements/api_calls?quantity=2', 'acct_alice');
    expect(two.body).toMatchObject({ allowed: false, quantity: 2, upgrade: { plan: 'pro', add_on: null } });
  });

  it('counts the extra seats that would allow more seats, beside the plan that would', async () => {
    const res = await get('/v1/entitlements/seats?quantity=3', 'acct_bob');
    expect(res.body).toMatchObject({
      allowed: false,
      used: 12,
      limit: 12,
      upgrade: { plan: 'premium', add_on: { code: 'extra_seats', quantity: 3 } },
    });
  });

  it('answers boolean features with enabled and the plan that includes them', async () => {
    const res = await get('/v1/entitlements/sso', 'acct_bob');
    expect(res.body).toMatchObject({
      type: 'boolean',
      enabled: false,
      allowed: false,
      upgrade: { plan: 'premium', add_on: null },
    });
    expect((await get('/v1/entitlements/time_tracking', 'acct_bob')).body.allowed).toBe(true);
  });

  it('answers 404 for an unknown feature and 422 for a bad quantity', async () => {
    const unknown = await get('/v1/entitlements/teleports', 'acct_bob');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ type: 'not_found', param: 'feature' });
    for (const q of ['0', '-1', 'abc', '1.5']) {
      const res = await get(`/v1/entitlements/seats?quantity=${q}`, 'acct_bob');
      expect(res.status).toBe(422);
      expect(res.body.error.param).toBe('quantity');
    }
  });

  it('follows the subscription mirror: a canceled subscription falls back to the free plan', async () => {
    await createAccount(t, 'acct_gone');
    await mirrorSubscription(t, {
      accountId: 'acct_gone',
      planCode: 'premium',
      status: 'canceled',
      anchor: daysAgo(5),
      periodStart: daysAgo(5),
      periodEnd: daysAhead(25),
    });
    const res = await get('/v1/entitlements/projects', 'acct_gone');
    expect(res.body).toMatchObject({ limit: 3 });
  });
});
