import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app';
import { serverAuth } from '../support/tokens';

/**
 * Issue #19: bodies are parsed only after the cheap checks. An anonymous request with a body is
 * refused for its missing credential before its Content-Encoding is even looked at; with a
 * credential, the same corrupt body is a 400 invalid_encoding (so the first answer proves the
 * body was never inflated).
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const corrupt = (auth?: string) => {
  const req = request(t.app).post('/v1/usage').set('Content-Type', 'application/json').set('Content-Encoding', 'gzip');
  return (auth ? req.set('Authorization', auth) : req).send('this is not gzip');
};

describe('cheap checks before the body', () => {
  it('refuses an anonymous body for its missing credential, unread', async () => {
    const res = await corrupt();
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ type: 'authentication_error', code: 'missing_credentials' });
  });

  it('refuses a body under a malformed Authorization header the same way', async () => {
    const res = await corrupt('Basic dXNlcjpwYXNz');
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'malformed_credentials' });
  });

  it('reads the body once a credential is there: the corrupt encoding is then a 400 in the envelope', async () => {
    const res = await corrupt(serverAuth);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_encoding' });
    expect(typeof res.body.error.request_id).toBe('string');
  });
});
