import request from 'supertest';
import { startStripeEmulator, type StripeEmulator } from '@tierlift/stripe-emulator';
import { createStripeClient } from '../../src/stripe/stripe-client';
import { appRoutes } from '../support/app-routes';
import { createTestApp, type TestApp } from '../support/test-app';
import { adminAuth, bearer, serverAuth, userToken } from '../support/tokens';

/**
 * Every JSON route of the real app (billing included, so Stripe is the emulator),
 * walked from the router itself so a new route cannot escape: malformed JSON,
 * an oversized body, a body of the wrong type and an unknown field are each a
 * 4xx in the error shape, and no business table gains or loses a row.
 */
let emulator: StripeEmulator;
let t: TestApp;
const owner = bearer(userToken('acct_matrix', 'owner'));

interface RouteInfo {
  method: 'post' | 'put' | 'patch';
  path: string;
}

function jsonRoutes(app: TestApp['app']): RouteInfo[] {
  // NOTE: the webhook route takes Stripe's raw signed bytes; its matrix lives in test/webhooks.
  return appRoutes(app).filter(
    (r): r is RouteInfo => ['post', 'put', 'patch'].includes(r.method) && r.path !== '/webhooks/stripe',
  );
}

const concretePath = (path: string) => path.replace(/:[a-z_]+/g, 'no_such_thing_1');

/** NOTE: audit_log is left out: it records every refused operator request too, by design (docs/console.md). */
async function rowCounts(): Promise<Record<string, number>> {
  const tables: Array<{ table_name: string }> = await t.db.dataSource.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'
       AND table_name NOT IN ('migrations', 'idempotency_keys', 'audit_log')`,
    [t.db.schema],
  );
  const counts: Record<string, number> = {};
  for (const { table_name } of tables) {
    const rows: Array<{ n: number }> = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM "${table_name}"`);
    counts[table_name] = rows[0]?.n ?? 0;
  }
  return counts;
}

const call = (route: RouteInfo, path: string) => request(t.app)[route.method](path);

/** The first credential the route does not refuse as the wrong kind. */
async function credentialFor(route: RouteInfo): Promise<string> {
  for (const auth of [owner, serverAuth, adminAuth]) {
    const res = await call(route, concretePath(route.path))
      .set('Authorization', auth)
      .set('Idempotency-Key', `probe-${Math.random()}`)
      .send({ __probe__: true });
    if (res.status !== 401 && res.status !== 403) return auth;
  }
  throw new Error(`no credential reaches ${route.method} ${route.path}`);
}

beforeAll(async () => {
  emulator = await startStripeEmulator();
  const stripe = createStripeClient({ secretKey: emulator.secretKey, emulator, maxNetworkRetries: 0 });
  t = await createTestApp({}, { stripe });
  await request(t.app)
    .put('/v1/accounts/acct_matrix')
    .set('Authorization', serverAuth)
    .send({ name: 'Matrix Ltd', email: 'm@example.com', country: 'DE', locale: 'de-DE' })
    .expect(201);
  // The offer rules are seeded from their file on first use: let that happen before counting rows.
  await request(t.app).get('/admin/v1/offers').set('Authorization', adminAuth).expect(200);
});
afterAll(async () => {
  await t.close();
  await emulator.close();
});

describe('bad input on every JSON route', () => {
  it('finds the routes it must cover', () => {
    const paths = jsonRoutes(t.app).map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(
      expect.arrayContaining(['put /v1/accounts/:account_id', 'post /v1/usage', 'post /v1/quotes', 'post /v1/changes']),
    );
  });

  it('answers malformed JSON, oversized, wrongly typed and unknown-field bodies with a 4xx and writes nothing', async () => {
    const before = await rowCounts();
    const failures: string[] = [];
    for (const route of jsonRoutes(t.app)) {
      const path = concretePath(route.path);
      const auth = await credentialFor(route);
      const send = (body: string | object, contentType = 'application/json') =>
        call(route, path)
          .set('Authorization', auth)
          .set('Idempotency-Key', `matrix-${Math.random()}`)
          .set('Content-Type', contentType)
          .send(body);
      const cases: Array<[string, Promise<request.Response>, (status: number) => boolean]> = [
        ['malformed JSON', send('{"a": '), (s) => s === 400],
        ['an oversized body', send(JSON.stringify({ pad: 'x'.repeat(1_200_000) })), (s) => s === 413],
        ['an array instead of an object', send([1, 2, 3]), (s) => s >= 400 && s < 500],
        ['a string where an object belongs', send('"text"'), (s) => s >= 400 && s < 500],
        ['an unknown field', send({ __unknown_field__: true }), (s) => s >= 400 && s < 500],
      ];
      for (const [what, pending, ok] of cases) {
        const res = await pending;
        if (!ok(res.status) || typeof res.body?.error?.type !== 'string' || !res.headers['request-id']) {
          failures.push(
            `${route.method.toUpperCase()} ${route.path} with ${what}: ${res.status} ${JSON.stringify(res.body)}`,
          );
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await rowCounts()).toEqual(before);
  });
});
