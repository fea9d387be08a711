import request from 'supertest';
import { DEMO_ACCOUNT_ID, seedDemoAccount } from '../../src/local/demo';
import { createTestApp, type TestApp } from '../support/test-app';

describe('demo helpers (local mode only)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ DEMO_DATA: 'on' });
    await seedDemoAccount(t.services.accounts);
  });
  afterAll(async () => t?.close());

  it('signs a token per persona that the end-user API accepts, and switches the account language', async () => {
    const session = await request(t.app).get('/demo/api/session?role=member&locale=de-DE').expect(200);
    expect(session.body).toMatchObject({ account_id: DEMO_ACCOUNT_ID, role: 'member', locale: 'de-DE' });
    const account = await request(t.app).get('/v1/account').set('Authorization', `Bearer ${session.body.token}`);
    expect(account.status).toBe(200);
    expect(account.body).toMatchObject({ id: DEMO_ACCOUNT_ID, locale: 'de-DE', industry: 'construction' });
  });

  it('pushes usage as the backend would, turning a gauge step into its new total', async () => {
    await request(t.app).post('/demo/api/usage').send({ feature: 'projects', quantity: 2 }).expect(200);
    await request(t.app).post('/demo/api/usage').send({ feature: 'projects', quantity: 1 }).expect(200);
    await request(t.app).post('/demo/api/usage').send({ feature: 'api_calls', quantity: 300 }).expect(200);
    const usage = await t.services.usage.entitlements(DEMO_ACCOUNT_ID);
    const used = (feature: string) => usage?.entitlements.find((e) => e.feature === feature);
    expect(used('projects')).toMatchObject({ used: 3 });
    expect(used('api_calls')).toMatchObject({ used: 300 });
  });

  it('skips the service clock ahead by whole days', async () => {
    const before = t.services.clock.now().getTime();
    const moved = await request(t.app).post('/demo/api/clock').send({ days: 7 }).expect(200);
    expect(moved.body.offset_days).toBe(7);
    expect(t.services.clock.now().getTime() - before).toBeGreaterThanOrEqual(7 * 86_400_000);
    expect((await request(t.app).get('/demo/api/clock')).body.offset_days).toBe(7);
  });

  it.each([
    ['/demo/api/usage', { feature: 'projects', quantity: -1 }],
    ['/demo/api/usage', { feature: 'projects', quantity: 1, extra: true }],
    ['/demo/api/usage', { feature: 'not_a_feature', quantity: 1 }],
    ['/demo/api/clock', { days: 0 }],
    ['/demo/api/clock', { days: '7' }],
    ['/demo/api/settle', { now: true }],
  ])('refuses bad input to %s (%j) with a 4xx', async (path, body) => {
    const answer = await request(t.app).post(path).send(body);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.body.error.type).toBe('invalid_request_error');
  });

  it('answers only a browser on this machine that calls it localhost (no LAN, no DNS rebinding)', async () => {
    const rebound = await request(t.app).get('/demo/api/session').set('Host', 'attacker.example:3000');
    expect(rebound.status).toBe(404);
    expect(rebound.body.token).toBeUndefined();
    expect((await request(t.app).get('/demo/api/clock').set('Host', '192.168.1.20:3000')).status).toBe(404);
    expect((await request(t.app).get('/demo/api/clock').set('Host', 'localhost:3000')).status).toBe(200);
  });

  it('settles only on a JSON request, which a cross-site form cannot send without a preflight', async () => {
    const form = await request(t.app).post('/demo/api/settle').type('form').send('x=1');
    expect(form.status).toBe(415);
    expect(form.body.error.code).toBe('unsupported_media_type');
    expect((await request(t.app).post('/demo/api/settle').send({})).status).toBe(200);
  });

  it('refuses an unknown persona', async () => {
    expect((await request(t.app).get('/demo/api/session?role=superuser')).status).toBe(422);
  });

  it.each([
    ['demo data is off', { DEMO_DATA: 'off' }],
    ['a real Stripe key is configured', { DEMO_DATA: 'on', STRIPE_SECRET_KEY: 'sk_test_not_the_emulator' }],
  ])('does not exist when %s', async (_when, env) => {
    const off = await createTestApp(env);
    try {
      expect((await request(off.app).get('/demo/api/session')).status).toBe(404);
      expect((await request(off.app).post('/demo/api/clock').send({ days: 1 })).status).toBe(404);
      expect((await request(off.app).get('/demo')).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});
