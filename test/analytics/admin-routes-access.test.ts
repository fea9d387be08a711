import request from 'supertest';
import { startStripeEmulator, type StripeEmulator } from '@tierlift/stripe-emulator';
import { createStripeClient } from '../../src/stripe/stripe-client';
import { appRoutes, type AppRoute, type RouteMethod } from '../support/app-routes';
import { createTestApp, type TestApp } from '../support/test-app';
import { adminAuth, bearer, serverAuth, userToken } from '../support/tokens';

/**
 * Every /admin/v1 route the real app registers (billing and guarantees included, so Stripe is the
 * emulator), walked from the router itself so a new admin route cannot escape: end users of every
 * role and the server key get 403; the operator credential is never refused.
 */
let emulator: StripeEmulator;
let t: TestApp;

type Method = RouteMethod;

function adminRoutes(app: TestApp['app']): AppRoute[] {
  return appRoutes(app).filter((route) => route.path.startsWith('/admin/'));
}

const concrete = (path: string) => path.replace(/:[a-z_]+/g, 'no_such_thing_1');
const send = (method: Method, path: string) => request(t.app)[method](concrete(path));
const call = (method: Method, path: string, auth: string) =>
  send(method, path).set('Authorization', auth).set('Idempotency-Key', `probe-${Math.random()}`).send({});

beforeAll(async () => {
  emulator = await startStripeEmulator();
  const stripe = createStripeClient({ secretKey: emulator.secretKey, emulator, maxNetworkRetries: 0 });
  t = await createTestApp({}, { stripe });
});
afterAll(async () => {
  await t.close();
  await emulator.close();
});

describe('admin routes', () => {
  it('finds the admin routes of every module', () => {
    const paths = adminRoutes(t.app).map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'get /admin/v1/experiments',
        'get /admin/v1/experiments/:key/results',
        'get /admin/v1/offers',
        'get /admin/v1/webhook-events',
        'get /admin/v1/accounts/:id',
      ]),
    );
    expect(paths.length).toBeGreaterThan(15);
  });

  it('refuse end users (owner, admin, member) and the server key with 403', async () => {
    const refused: string[] = [];
    const callers = {
      owner: bearer(userToken('acct_probe', 'owner')),
      admin: bearer(userToken('acct_probe', 'admin')),
      member: bearer(userToken('acct_probe', 'member')),
      server: serverAuth,
    };
    for (const route of adminRoutes(t.app))
      for (const [who, auth] of Object.entries(callers)) {
        const res = await call(route.method, route.path, auth);
        if (res.status !== 403 || res.body.error?.type !== 'permission_error')
          refused.push(`${who} ${route.method} ${route.path} → ${res.status}`);
      }
    expect(refused).toEqual([]);
  });

  it('refuse a missing credential with 401', async () => {
    for (const route of adminRoutes(t.app)) expect((await send(route.method, route.path)).status).toBe(401);
  });

  it('let the operator credential through', async () => {
    const refused: string[] = [];
    for (const route of adminRoutes(t.app)) {
      const res = await call(route.method, route.path, adminAuth);
      if (res.status === 401 || res.status === 403) refused.push(`${route.method} ${route.path} → ${res.status}`);
    }
    expect(refused).toEqual([]);
  });
});
