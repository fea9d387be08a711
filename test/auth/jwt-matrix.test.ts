import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app';
import { TEST_KEYS } from '../support/test-config';
import { bearer, serverAuth, userToken } from '../support/tokens';

const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

const now = () => Math.floor(Date.now() / 1000);
const baseClaims = () => ({
  sub: 'user_1',
  account_id: 'acct_jwt',
  role: 'owner',
  aud: TEST_KEYS.audience,
  iss: TEST_KEYS.issuer,
  exp: now() + 600,
});
const without = (key: string) => {
  const claims: Record<string, unknown> = baseClaims();
  delete claims[key];
  return claims;
};
const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const signRs = (claims: object) => jwt.sign(claims, privateKey, { algorithm: 'RS256' });

const account = { name: 'JWT Co', email: 'a@jwt.example', country: 'US', locale: 'en-US' };

describe('end-user JWTs with HS256', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await request(t.app).put('/v1/accounts/acct_jwt').set('Authorization', serverAuth).send(account).expect(201);
  });
  afterAll(() => t.close());

  const hs = (claims: object) => jwt.sign(claims, TEST_KEYS.jwtSecret, { algorithm: 'HS256', noTimestamp: true });
  const tamper = () => {
    const [header, , signature] = hs(baseClaims()).split('.');
    return `${header}.${b64url({ ...baseClaims(), account_id: 'acct_other', role: 'owner' })}.${signature}`;
  };

  it('accepts a valid token (the control case)', async () => {
    await request(t.app)
      .get('/v1/account')
      .set('Authorization', bearer(userToken('acct_jwt')))
      .expect(200);
  });

  const cases: Array<[string, () => string]> = [
    ['alg none', () => `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(baseClaims())}.`],
    ['expired beyond the tolerance', () => hs({ ...baseClaims(), exp: now() - 120 })],
    ['nbf in the future', () => hs({ ...baseClaims(), nbf: now() + 300 })],
    ['wrong aud', () => hs({ ...baseClaims(), aud: 'someone-else' })],
    ['wrong iss', () => hs({ ...baseClaims(), iss: 'https://evil.example/' })],
    ['missing exp', () => hs(without('exp'))],
    ['missing sub', () => hs(without('sub'))],
    ['missing account_id', () => hs(without('account_id'))],
    ['missing role', () => hs(without('role'))],
    ['an unknown role', () => hs({ ...baseClaims(), role: 'superuser' })],
    ['a tampered payload', tamper],
    [
      'a token signed with another secret',
      () => jwt.sign(baseClaims(), 'another-secret-0123456789abcdef0123', { algorithm: 'HS256' }),
    ],
    ['RS256 when HS256 is pinned', () => signRs(baseClaims())],
    ['an oversized token', () => hs({ ...baseClaims(), padding: 'x'.repeat(9000) })],
    ['garbage', () => 'not-a-jwt-at-all'],
    ['three dots of garbage', () => 'a.b.c'],
  ];

  it.each(cases)('refuses %s with 401 in the error shape', async (_name, make) => {
    const res = await request(t.app).get('/v1/account').set('Authorization', bearer(make()));
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ type: 'authentication_error', request_id: expect.any(String) });
    expect(res.body.error.message).toEqual(expect.any(String));
  });

  it('refuses a malformed Authorization header', async () => {
    const res = await request(t.app).get('/v1/account').set('Authorization', 'Token abc');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('malformed_credentials');
  });

  it('accepts a token that expired within the clock tolerance', async () => {
    await request(t.app)
      .get('/v1/account')
      .set('Authorization', bearer(hs({ ...baseClaims(), exp: now() - 5 })))
      .expect(200);
  });

  it('refuses a token kept from an earlier verification once it expires beyond the tolerance', async () => {
    const token = hs({ ...baseClaims(), exp: now() + 60 });
    await request(t.app).get('/v1/account').set('Authorization', bearer(token)).expect(200);
    jest.useFakeTimers({ now: Date.now() + (60 + t.config.jwt.clockToleranceSeconds + 1) * 1000, advanceTimers: true });
    try {
      const res = await request(t.app).get('/v1/account').set('Authorization', bearer(token));
      expect(res.status).toBe(401);
      expect(res.body.error.message).toBe('The token has expired.');
    } finally {
      jest.useRealTimers();
    }
  });

  it('a token kept by one deployment proves nothing to another with another secret', async () => {
    const token = hs(baseClaims());
    await request(t.app).get('/v1/account').set('Authorization', bearer(token)).expect(200);
    const other = await createTestApp({ JWT_SECRET: 'another-secret-0123456789abcdef0123456789' });
    try {
      await request(other.app).get('/v1/account').set('Authorization', bearer(token)).expect(401);
    } finally {
      await other.close();
    }
  });
});

describe('end-user JWTs with RS256', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ JWT_SECRET: '', JWT_PUBLIC_KEY: publicKey });
    await request(t.app).put('/v1/accounts/acct_jwt').set('Authorization', serverAuth).send(account).expect(201);
  });
  afterAll(() => t.close());

  it('accepts a token signed with the private key', async () => {
    await request(t.app)
      .get('/v1/account')
      .set('Authorization', bearer(signRs(baseClaims())))
      .expect(200);
  });

  it('refuses HS256 signed with the RS256 public key (algorithm confusion)', async () => {
    // jsonwebtoken refuses to sign with a PEM as an HMAC secret, so forge the token by hand.
    const header = b64url({ alg: 'HS256', typ: 'JWT' });
    const payload = b64url(baseClaims());
    const signature = crypto.createHmac('sha256', publicKey).update(`${header}.${payload}`).digest('base64url');
    const res = await request(t.app)
      .get('/v1/account')
      .set('Authorization', bearer(`${header}.${payload}.${signature}`));
    expect(res.status).toBe(401);
    expect(res.body.error.type).toBe('authentication_error');
  });

  it('refuses alg none', async () => {
    const res = await request(t.app)
      .get('/v1/account')
      .set('Authorization', bearer(`${b64url({ alg: 'none' })}.${b64url(baseClaims())}.`));
    expect(res.status).toBe(401);
  });
});
