import request from 'supertest';
import { startStripeEmulator, type StripeEmulator } from '@tierlift/stripe-emulator';
import { createStripeClient } from '../../src/stripe/stripe-client';
import { appRoutes, type AppRoute } from '../support/app-routes';
import { createTestApp, type TestApp } from '../support/test-app';
import { adminAuth, bearer } from '../support/tokens';

/**
 * Who did what (issue #23, acceptance 2): every non-GET admin route the real app registers, read
 * from its router so a new route is covered without touching this test, is refused to a viewer key
 * with 403 and leaves an audit entry naming the caller, for viewers and operators alike.
 */
let emulator: StripeEmulator;
let t: TestApp;
let viewer: { id: string; key: string };
let operator: { id: string; key: string };

const mutations = (): AppRoute[] =>
  appRoutes(t.app).filter((route) => route.path.startsWith('/admin/') && route.method !== 'get');
const concrete = (path: string) => path.replace(/:[a-z_]+/g, 'no_such_thing_1');
const probe = (route: AppRoute, key: string) => {
  const agent = request(t.app);
  return agent[route.method](concrete(route.path))
    .set('Authorization', bearer(key))
    .set('Idempotency-Key', `probe-${key.slice(-6)}-${route.method}-${route.path}`)
    .send({});
};

async function createKey(role: string, name: string, auth = adminAuth) {
  const res = await request(t.app).post('/admin/v1/operators').set('Authorization', auth).send({ name, role });
  expect(res.status).toBe(201);
  return { id: res.body.id as string, key: res.body.key as string };
}

async function auditEntries(actorId: string) {
  const { rows } = await t.services.pool().query<{
    route: string;
    method: string;
    status: number;
    outcome: string;
  }>('SELECT route, method, status, outcome FROM audit_log WHERE actor_id = $1', [actorId]);
  return rows;
}

beforeAll(async () => {
  emulator = await startStripeEmulator();
  const stripe = createStripeClient({ secretKey: emulator.secretKey, emulator, maxNetworkRetries: 0 });
  t = await createTestApp({}, { stripe });
  viewer = await createKey('viewer', 'Vera Viewer');
  operator = await createKey('operator', 'Otto Operator');
});
afterAll(async () => {
  await t.close();
  await emulator.close();
});

describe('operator keys and the audit log', () => {
  it('finds the mutation routes of every module, its own included', () => {
    const paths = mutations().map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(
      expect.arrayContaining(['post /admin/v1/operators', 'post /admin/v1/refunds', 'put /admin/v1/offers/:id']),
    );
    expect(paths.length).toBeGreaterThan(10);
  });

  it('refuses a viewer every non-GET admin route with 403, and logs each refusal with the viewer named', async () => {
    const wrong: string[] = [];
    for (const route of mutations()) {
      const res = await probe(route, viewer.key);
      if (res.status !== 403 || res.body.error?.code !== 'read_only_operator')
        wrong.push(`${route.method} ${route.path} → ${res.status}`);
    }
    expect(wrong).toEqual([]);
    const logged = await auditEntries(viewer.id);
    const missing = mutations().filter(
      (r) => !logged.some((e) => e.route === r.path && e.method === r.method.toUpperCase() && e.status === 403),
    );
    expect(missing).toEqual([]);
    expect(logged.every((e) => e.outcome === 'refused')).toBe(true);
  });

  it('lets a viewer read', async () => {
    const res = await request(t.app).get('/admin/v1/offers').set('Authorization', bearer(viewer.key));
    expect(res.status).toBe(200);
    const me = await request(t.app).get('/admin/v1/operators/me').set('Authorization', bearer(viewer.key));
    expect(me.body).toEqual({ object: 'operator', id: viewer.id, name: 'Vera Viewer', role: 'viewer' });
  });

  it('records an audit entry for every mutation an operator makes, whatever its outcome', async () => {
    for (const route of mutations()) await probe(route, operator.key);
    const logged = await auditEntries(operator.id);
    const missing = mutations().filter(
      (r) => !logged.some((e) => e.route === r.path && e.method === r.method.toUpperCase()),
    );
    expect(missing).toEqual([]);
  });

  it('keeps operator keys for owners, the root ADMIN_API_KEY being one', async () => {
    const asOperator = await request(t.app)
      .post('/admin/v1/operators')
      .set('Authorization', bearer(operator.key))
      .send({ name: 'Eve', role: 'owner' });
    expect(asOperator.status).toBe(403);
    expect(asOperator.body.error.code).toBe('owner_only');
    const owner = await createKey('owner', 'Olga Owner');
    const second = await createKey('viewer', 'Temp', bearer(owner.key));
    const list = await request(t.app).get('/admin/v1/operators').set('Authorization', bearer(owner.key));
    expect(list.body.data.map((k: { name: string }) => k.name)).toEqual(
      expect.arrayContaining(['Vera Viewer', 'Otto Operator', 'Olga Owner', 'Temp']),
    );
    expect(JSON.stringify(list.body)).not.toContain(second.key);
    expect(
      (
        await request(t.app)
          .post('/admin/v1/operators')
          .set('Authorization', adminAuth)
          .send({ name: 'x', role: 'god' })
      ).status,
    ).toBe(422);
  });

  it('records before and after of a role change, never the secret of a new key, and revokes at once', async () => {
    const temp = await createKey('viewer', 'Role Change');
    const patched = await request(t.app)
      .patch(`/admin/v1/operators/${temp.id}`)
      .set('Authorization', adminAuth)
      .send({ role: 'operator' });
    expect(patched.status).toBe(200);
    const log = await request(t.app)
      .get(`/admin/v1/audit-log?actor_id=root&route=${encodeURIComponent('/admin/v1/operators/:id')}`)
      .set('Authorization', adminAuth);
    expect(log.status).toBe(200);
    const entry = log.body.data[0];
    expect(entry).toMatchObject({
      actor: { id: 'root', role: 'owner' },
      action: 'PATCH /admin/v1/operators/:id',
      target: temp.id,
      outcome: 'succeeded',
      before: { role: 'viewer' },
      after: { role: 'operator' },
    });
    const { rows } = await t.services.pool().query("SELECT after FROM audit_log WHERE route = '/admin/v1/operators'");
    for (const secret of [temp.key, viewer.key, operator.key]) expect(JSON.stringify(rows)).not.toContain(secret);
    expect(JSON.stringify(rows)).toContain('[redacted]');
    expect((await request(t.app).delete(`/admin/v1/operators/${temp.id}`).set('Authorization', adminAuth)).status).toBe(
      200,
    );
    expect((await request(t.app).get('/admin/v1/offers').set('Authorization', bearer(temp.key))).status).toBe(401);
  });

  it('exports the audit log as CSV with the same entries as the JSON', async () => {
    const json = await request(t.app).get('/admin/v1/audit-log?limit=1000').set('Authorization', adminAuth);
    const csv = await request(t.app)
      .get('/admin/v1/audit-log?limit=1000')
      .set('Authorization', adminAuth)
      .set('Accept', 'text/csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,occurred_at,actor_id,actor_name,actor_role,action,target,status,outcome/);
    // NOTE: ids are bare numbers first on every line, so the lines are countable without a CSV parser.
    const ids = lines
      .slice(1)
      .filter((line) => /^\d+,/.test(line))
      .map((line) => line.split(',')[0]);
    expect(ids).toEqual(json.body.data.map((e: { id: string }) => e.id));
    expect((await request(t.app).get('/admin/v1/audit-log?format=xml').set('Authorization', adminAuth)).status).toBe(
      422,
    );
  });
});
