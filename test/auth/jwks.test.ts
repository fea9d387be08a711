import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app';
import { TEST_KEYS } from '../support/test-config';
import { bearer, serverAuth, userToken } from '../support/tokens';

/**
 * Issue #19: end-user tokens from an identity provider's JSON Web Key Set (JWT_JWKS_URL), beside
 * the static key, with jose's remote key set: cached, fetched again for an unknown `kid` (key
 * rotation) and pinned to RS256 / ES256. A JWKS served on 127.0.0.1 by this test plays the provider.
 */
interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyLike;
  jwk: JWK;
}

async function signingKey(kid: string, alg: 'RS256' | 'ES256'): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

let served: JWK[] = [];
let fetches = 0;
let server: http.Server;
let jwksUrl: string;

const claims = (accountId: string) => ({ sub: `user_${accountId}`, account_id: accountId, role: 'owner' });

function sign(key: SigningKey, accountId = 'acct_jwks', kid = key.kid): Promise<string> {
  return new SignJWT(claims(accountId))
    .setProtectedHeader({ alg: key.alg, kid })
    .setAudience(TEST_KEYS.audience)
    .setIssuer(TEST_KEYS.issuer)
    .setExpirationTime('10m')
    .sign(key.privateKey);
}

const account = { name: 'JWKS Co', email: 'a@jwks.example', country: 'US', locale: 'en-US' };
const get = (t: TestApp, token: string) => request(t.app).get('/v1/account').set('Authorization', bearer(token));

let keyA: SigningKey;
let keyB: SigningKey;

beforeAll(async () => {
  keyA = await signingKey('key-a', 'RS256');
  keyB = await signingKey('key-b', 'ES256');
  server = http.createServer((_req, res) => {
    fetches += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: served }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('JWKS key rotation', () => {
  let t: TestApp;
  beforeAll(async () => {
    served = [keyA.jwk];
    fetches = 0;
    t = await createTestApp({ JWT_JWKS_URL: jwksUrl, JWT_JWKS_COOLDOWN_SECONDS: '0' });
    await request(t.app).put('/v1/accounts/acct_jwks').set('Authorization', serverAuth).send(account).expect(201);
  });
  afterAll(() => t.close());

  it('accepts a token signed by key A, fetching the key set once and keeping it', async () => {
    await get(t, await sign(keyA)).expect(200);
    await get(t, await sign(keyA)).expect(200);
    expect(fetches).toBe(1);
  });

  it('keeps the static HS256 key working beside the JWKS', async () => {
    await get(t, userToken('acct_jwks')).expect(200);
  });

  it('fetches the set again for an unknown kid: after rotation to B, B tokens pass', async () => {
    served = [keyA.jwk, keyB.jwk];
    await get(t, await sign(keyB)).expect(200);
    expect(fetches).toBe(2);
  });

  it("refuses A's tokens once A is removed and the set is fetched again", async () => {
    const earlierA = await sign(keyA);
    await get(t, earlierA).expect(200);
    served = [keyB.jwk];
    // A token with a kid the set does not hold makes the service fetch the set again.
    const unknown = await get(t, await sign(keyA, 'acct_jwks', 'key-unknown'));
    expect(unknown.status).toBe(401);
    expect(fetches).toBe(3);
    const refused = await get(t, await sign(keyA));
    expect(refused.status).toBe(401);
    expect(refused.body.error).toMatchObject({ type: 'authentication_error', code: 'invalid_token' });
    await get(t, earlierA).expect(401);
    await get(t, await sign(keyB)).expect(200);
  });

  it('refuses bad signatures and algorithms outside RS256 / ES256', async () => {
    // B's kid, signed with A's key.
    const forged = await new SignJWT(claims('acct_jwks'))
      .setProtectedHeader({ alg: 'RS256', kid: keyB.kid })
      .setAudience(TEST_KEYS.audience)
      .setIssuer(TEST_KEYS.issuer)
      .setExpirationTime('10m')
      .sign(keyA.privateKey);
    await get(t, forged).expect(401);
    // A valid B token whose payload was changed after signing.
    const [header, , signature] = (await sign(keyB)).split('.');
    const payload = Buffer.from(JSON.stringify({ ...claims('acct_other'), aud: TEST_KEYS.audience })).toString(
      'base64url',
    );
    await get(t, `${header}.${payload}.${signature}`).expect(401);
    // HS256 with a kid of the set (the static secret, or B's public key as an HMAC secret): never from the JWKS.
    const hs = jwt.sign(
      { ...claims('acct_jwks'), aud: TEST_KEYS.audience, iss: TEST_KEYS.issuer },
      TEST_KEYS.jwtSecret,
      { algorithm: 'HS256', keyid: keyB.kid, expiresIn: 600 },
    );
    await get(t, hs).expect(401);
    // alg none.
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: keyB.kid })).toString('base64url')}.${Buffer.from(
      JSON.stringify({ ...claims('acct_jwks'), aud: TEST_KEYS.audience, iss: TEST_KEYS.issuer }),
    ).toString('base64url')}.`;
    await get(t, none).expect(401);
  });

  it('refuses a JWKS token for another audience or issuer', async () => {
    const other = await new SignJWT(claims('acct_jwks'))
      .setProtectedHeader({ alg: 'ES256', kid: keyB.kid })
      .setAudience('someone-else')
      .setIssuer(TEST_KEYS.issuer)
      .setExpirationTime('10m')
      .sign(keyB.privateKey);
    await get(t, other).expect(401);
  });
});

describe('JWKS fetch cooldown', () => {
  let t: TestApp;
  beforeAll(async () => {
    served = [keyA.jwk];
    t = await createTestApp({ JWT_JWKS_URL: jwksUrl, JWT_JWKS_COOLDOWN_SECONDS: '3600' });
    await request(t.app).put('/v1/accounts/acct_jwks').set('Authorization', serverAuth).send(account).expect(201);
  });
  afterAll(() => t.close());

  it('does not let unknown kids force fetches within the cooldown', async () => {
    await get(t, await sign(keyA)).expect(200);
    const before = fetches;
    for (let i = 0; i < 5; i += 1) await get(t, await sign(keyA, 'acct_jwks', `kid-${i}`)).expect(401);
    expect(fetches).toBe(before);
  });
});

describe('JWKS only (no static key)', () => {
  let t: TestApp;
  beforeAll(async () => {
    served = [keyA.jwk];
    t = await createTestApp({ JWT_JWKS_URL: jwksUrl, JWT_SECRET: '' });
    await request(t.app).put('/v1/accounts/acct_jwks').set('Authorization', serverAuth).send(account).expect(201);
  });
  afterAll(() => t.close());

  it('accepts JWKS tokens and never the dev secret', async () => {
    expect(t.config.jwt.key).toBe('');
    await get(t, await sign(keyA)).expect(200);
    const dev = jwt.sign(
      { ...claims('acct_jwks'), aud: TEST_KEYS.audience, iss: TEST_KEYS.issuer },
      'dev-only-jwt-secret-change-me-0123456789abcdef',
      { algorithm: 'HS256', expiresIn: 600 },
    );
    await get(t, dev).expect(401);
  });
});
