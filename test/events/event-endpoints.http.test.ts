import express from 'express';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app';
import { adminAuth } from '../support/tokens';
import { buildEventEndpointsRouter } from '../../src/events/event-endpoints.routes';
import { EventEndpointsRepository } from '../../src/events/event-endpoints.repository';
import { EventEndpointsService } from '../../src/events/event-endpoints.service';
import { pgPoolOf } from '../../src/usage/pg-pool';
import { errorHandler } from '../../src/shared/http/error-handler';
import { requestContext } from '../../src/shared/http/request-context';
import { createLogger } from '../../src/shared/logger';

const BASE = '/admin/v1/event-endpoints';

describe('event endpoints (admin API)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  const api = () => request(t.app);

  it('creates, lists, reads, updates, rotates and deletes an endpoint', async () => {
    const created = await api()
      .post(BASE)
      .set('Authorization', adminAuth)
      .send({ url: 'http://127.0.0.1:9/hook', event_types: ['account.created'], description: 'CRM' })
      .expect(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^ep_/),
      url: 'http://127.0.0.1:9/hook',
      event_types: ['account.created'],
      description: 'CRM',
      status: 'enabled',
      disabled_reason: null,
      secret: expect.stringMatching(/^whsec_/),
      health: { delivered_24h: 0, failed_24h: 0, pending: 0, oldest_pending_at: null },
    });
    const id = created.body.id as string;

    const list = await api().get(BASE).set('Authorization', adminAuth).expect(200);
    expect(list.body.data.map((e: { id: string }) => e.id)).toContain(id);
    expect(list.body.data[0].secret).toBeUndefined();

    const patched = await api()
      .patch(`${BASE}/${id}`)
      .set('Authorization', adminAuth)
      .send({ event_types: [], status: 'disabled', description: null })
      .expect(200);
    expect(patched.body).toMatchObject({ event_types: [], status: 'disabled', description: null });
    expect(patched.body.disabled_reason).toEqual(expect.any(String));
    const enabled = await api().patch(`${BASE}/${id}`).set('Authorization', adminAuth).send({ status: 'enabled' });
    expect(enabled.body).toMatchObject({ status: 'enabled', disabled_reason: null });

    const rotated = await api().post(`${BASE}/${id}/rotate-secret`).set('Authorization', adminAuth).send({});
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.body.secret);

    const deliveries = await api().get(`${BASE}/${id}/deliveries?status=pending`).set('Authorization', adminAuth);
    expect(deliveries.status).toBe(200);
    expect(deliveries.body).toEqual({ data: [] });

    await api().delete(`${BASE}/${id}`).set('Authorization', adminAuth).expect(200, { id, deleted: true });
    await api().get(`${BASE}/${id}`).set('Authorization', adminAuth).expect(404);
  });

  it('answers bad input with a clear 4xx and writes nothing', async () => {
    const before = await api().get(BASE).set('Authorization', adminAuth);
    const unknown = await api()
      .post(BASE)
      .set('Authorization', adminAuth)
      .send({ url: 'https://example.com/hook', event_types: ['account.deleted'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'unknown_event_type', param: 'event_types' });
    const notUrl = await api().post(BASE).set('Authorization', adminAuth).send({ url: 'ftp://example.com' });
    expect(notUrl.status).toBe(400);
    await api().post(BASE).set('Authorization', adminAuth).send({ url: 'https://x.test', extra: 1 }).expect(422);
    const replay = await api()
      .post(`${BASE}/ep_none/replay`)
      .set('Authorization', adminAuth)
      .send({ from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' });
    expect(replay.status).toBe(422);
    await api().post(BASE).send({ url: 'https://example.com' }).expect(401);
    const after = await api().get(BASE).set('Authorization', adminAuth);
    expect(after.body.data).toHaveLength(before.body.data.length);
  });

  describe('SSRF: in production (acceptance line 4)', () => {
    const resolve = async (host: string) =>
      ({ 'intranet.example': ['10.1.2.3'], 'rebind.example': ['93.184.216.34', '127.0.0.1'] })[host] ?? [
        '93.184.216.34',
      ];
    let production: express.Express;
    beforeAll(() => {
      const endpoints = new EventEndpointsService({
        repository: new EventEndpointsRepository(() => pgPoolOf(t.db.dataSource)),
        now: () => new Date(),
        production: true,
        resolve,
      });
      production = express();
      production.use(requestContext(createLogger({ level: 'error', format: 'json', silent: true })));
      production.use(express.json());
      production.use(buildEventEndpointsRouter({ auth: t.services.auth, endpoints }));
      production.use(errorHandler);
    });

    it.each([
      ['http://hooks.example.com/in', /https/],
      ['https://127.0.0.1/in', /private or loopback/],
      ['https://localhost:8443/in', /localhost/],
      ['https://[::1]/in', /private or loopback/],
      ['https://10.0.0.5/in', /private or loopback/],
      ['https://172.20.1.1/in', /private or loopback/],
      ['https://192.168.1.10/in', /private or loopback/],
      ['https://169.254.169.254/latest/meta-data', /private or loopback/],
      ['https://[fd12:3456::1]/in', /private or loopback/],
      ['https://[fe80::1]/in', /private or loopback/],
      ['https://[::ffff:127.0.0.1]/in', /private or loopback/],
      ['https://intranet.example/in', /resolves to a private or loopback address \(10\.1\.2\.3\)/],
      ['https://rebind.example/in', /resolves to a private or loopback address \(127\.0\.0\.1\)/],
    ])('refuses %s with a clear 400', async (url, why) => {
      const res = await request(production).post(BASE).set('Authorization', adminAuth).send({ url });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('endpoint_url_refused');
      expect(res.body.error.message).toMatch(why);
    });

    it('accepts a public https endpoint, and refuses a private url in an update too', async () => {
      const res = await request(production)
        .post(BASE)
        .set('Authorization', adminAuth)
        .send({ url: 'https://hooks.example.com/in' });
      expect(res.status).toBe(201);
      const patch = await request(production)
        .patch(`${BASE}/${res.body.id}`)
        .set('Authorization', adminAuth)
        .send({ url: 'https://192.168.0.1/in' });
      expect(patch.status).toBe(400);
      const kept = await request(production).get(`${BASE}/${res.body.id}`).set('Authorization', adminAuth);
      expect(kept.body.url).toBe('https://hooks.example.com/in');
    });
  });
});
