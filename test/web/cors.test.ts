import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app';
import { bearer, userToken } from '../support/tokens';

describe('CORS for the end-user API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ CORS_ALLOWED_ORIGINS: 'https://app.example.com, http://localhost:5173' });
  });
  afterAll(async () => t?.close());

  it('answers a preflight from an allowed origin with the headers the widget sends', async () => {
    const answer = await request(t.app)
      .options('/v1/changes')
      .set('Origin', 'https://app.example.com')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization, content-type, idempotency-key');
    expect(answer.status).toBe(204);
    expect(answer.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(answer.headers['access-control-allow-headers']).toMatch(/Idempotency-Key/);
    expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('lets an allowed origin read the answer and its Request-Id', async () => {
    const answer = await request(t.app)
      .get('/v1/account')
      .set('Origin', 'http://localhost:5173')
      .set('Authorization', bearer(userToken('acct_missing')));
    expect(answer.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(answer.headers['access-control-expose-headers']).toBe(
      'Request-Id, X-Request-Id, traceparent, Retry-After, RateLimit, RateLimit-Policy',
    );
  });

  it('gives another origin, and the operator routes, no CORS headers', async () => {
    const stranger = await request(t.app).get('/v1/plans').set('Origin', 'https://evil.example.net');
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined();
    const admin = await request(t.app).get('/admin/v1/offers').set('Origin', 'https://app.example.com');
    expect(admin.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a configured value that is not an origin', async () => {
    await expect(createTestApp({ CORS_ALLOWED_ORIGINS: 'https://app.example.com/path' })).rejects.toThrow(
      /CORS_ALLOWED_ORIGINS/,
    );
  });
});
