import express from 'express';
import helmet from 'helmet';
import request from 'supertest';
import { promptsDoor } from '../../src/offers/prompts-door';
import { frontDoor } from '../../src/shared/http/front-door';
import { endUserCors } from '../../src/shared/http/cors';
import { errorHandler } from '../../src/shared/http/error-handler';
import { buildRateLimits } from '../../src/shared/http/rate-limit';
import { recordHelmetHeaders } from '../../src/shared/http/security-headers';
import { createLogger } from '../../src/shared/logger';
import { entitlementsDoor } from '../../src/usage/entitlements-door';
import { createTestApp, type TestApp } from '../support/test-app';
import { bearer, userToken } from '../support/tokens';
import { getPrompts, proAccountUsing, SimulatedClock } from '../offers/support/http-fixtures';

/**
 * The front door (shared/http/front-door.ts) answers GET /v1/prompts and GET
 * /v1/entitlements/{feature} for tokens already verified, ahead of the middleware chain. It must
 * answer exactly as the chain does, take nothing else, and count each request once against the
 * rate limit.
 */
const start = new Date();
const ORIGIN = 'https://app.example.test';
/** Headers that differ between any two answers by design. */
const PER_REQUEST = new Set(['date', 'request-id', 'x-request-id', 'traceparent', 'ratelimit']);

/** An error's body names its request: set apart, as the headers are. */
const withoutId = (body: { error?: Record<string, unknown> }) =>
  body.error ? { ...body, error: { ...body.error, request_id: 'set apart' } } : body;

const stable = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !PER_REQUEST.has(name)));

/** Counts the decisions the front door serves from memory (the chain's route never asks for them). */
function countKeptAnswers(t: TestApp): () => number {
  let answered = 0;
  const original = t.services.offers.keptPrompts.bind(t.services.offers);
  t.services.offers.keptPrompts = (req) => {
    const kept = original(req);
    if (kept) answered += 1;
    return kept;
  };
  return () => answered;
}

/** The front door alone, on the test app's services; whatever it does not take answers 599. */
function frontDoorOnly(t: TestApp, limits = buildRateLimits(t.config.rateLimits, t.services.pool)) {
  const app = express();
  app.set('query parser', 'simple');
  app.use(
    frontDoor(
      {
        auth: t.services.auth,
        logger: createLogger({ level: 'error', format: 'json', silent: true }),
        securityHeaders: recordHelmetHeaders(),
        cors: endUserCors([ORIGIN]),
        limits,
      },
      [promptsDoor(t.services.offers), entitlementsDoor(t.services.usage)],
    ),
  );
  app.use((_req, res) => res.status(599).json({ fell_through: true }));
  return app;
}

describe('the front door', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ CORS_ALLOWED_ORIGINS: ORIGIN });
    new SimulatedClock(t, start);
    await proAccountUsing(t, 'acct_front', start);
  });
  afterAll(() => t.close());

  it('answers a kept token as the chain answered it: status, body and every header', async () => {
    await getPrompts(t, 'acct_front'); // the day's impressions are recorded: the next decision is kept
    const kept = countKeptAnswers(t);
    const token = bearer(userToken('acct_front', 'owner', { fresh: 'for this test' }));
    const ask = () =>
      request(t.app)
        .get('/v1/prompts')
        .query({ placement: 'dashboard' })
        .set('Authorization', token)
        .set('Origin', ORIGIN);
    const first = await ask(); // the chain: the token is new to the app, verified in full and kept
    expect(kept()).toBe(0);
    const second = await ask();
    expect(kept()).toBe(1);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect((first.body as { data: unknown[] }).data.length).toBeGreaterThan(0);
    expect(second.body).toEqual(first.body);
    expect(stable(second.headers)).toEqual(stable(first.headers));
    expect(second.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(second.headers['request-id']).toMatch(/^req_[0-9a-f]{24}$/);
    expect(second.headers['request-id']).not.toBe(first.headers['request-id']);
    // A conditional request is answered 304, as the route answers it.
    const again = await ask().set('If-None-Match', second.headers.etag as string);
    expect(again.status).toBe(304);
    expect(kept()).toBe(2);
  });

  it('takes only a body-less GET of exactly /v1/prompts with a kept token and a valid query', async () => {
    const door = frontDoorOnly(t);
    const token = bearer(userToken('acct_front', 'owner'));
    expect((await request(t.app).get('/v1/prompts').set('Authorization', token)).status).toBe(200); // kept by the chain
    expect((await request(door).get('/v1/prompts').set('Authorization', token)).status).toBe(200);
    const fellThrough = [
      request(door).get('/v1/prompts'),
      request(door).get('/v1/prompts').set('Authorization', 'Bearer not.a.token'),
      request(door)
        .get('/v1/prompts')
        .set('Authorization', bearer(userToken('acct_front', 'member'))),
      request(door).get('/v1/prompts?placement=nowhere').set('Authorization', token),
      request(door).get('/v1/prompts?placement=feature_gate').set('Authorization', token),
      request(door).get('/v1/prompts?surprise=1').set('Authorization', token),
      request(door).get('/v1/prompts/').set('Authorization', token),
      request(door).get('/V1/prompts').set('Authorization', token),
      request(door).head('/v1/prompts').set('Authorization', token),
      request(door).post('/v1/prompts').set('Authorization', token),
      request(door).get('/v1/prompts').set('Authorization', token).set('Content-Type', 'application/json').send('{}'),
    ];
    for (const [i, asked] of fellThrough.entries()) expect([i, (await asked).status]).toEqual([i, 599]);
  });

  it('answers what it does not take as before: 422 for a bad query, 401 without a token', async () => {
    await getPrompts(t, 'acct_front');
    const bad = await getPrompts(t, 'acct_front', { placement: 'nowhere' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.param).toBe('placement');
    expect((await request(t.app).get('/v1/prompts')).status).toBe(401);
  });

  it('answers an entitlement check as the chain answered it, 404 for an unknown account included', async () => {
    const token = bearer(userToken('acct_front', 'owner', { fresh: 'entitlements' }));
    const ask = (path: string) => request(t.app).get(path).set('Authorization', token).set('Origin', ORIGIN);
    for (const path of [
      '/v1/entitlements/api_calls',
      '/v1/entitlements/api_calls?quantity=7500',
      '/v1/entitlements/nope',
    ]) {
      const first = await ask(path); // the first of the token: the chain
      const second = await ask(path); // kept: the door
      expect([path, second.status, withoutId(second.body)]).toEqual([path, first.status, withoutId(first.body)]);
      // NOTE: an error names its request in its body, so its ETag differs too.
      const same = (r: typeof first) => ({ ...stable(r.headers), etag: r.status < 400 ? r.headers.etag : 'set apart' });
      expect(same(second)).toEqual(same(first));
    }
    expect((await ask('/v1/entitlements/api_calls?quantity=7500')).body).toMatchObject({ feature: 'api_calls' });
    const door = frontDoor(
      {
        auth: t.services.auth,
        logger: createLogger({ level: 'error', format: 'json', silent: true }),
        securityHeaders: recordHelmetHeaders(),
        cors: endUserCors([]),
        limits: buildRateLimits(t.config.rateLimits, t.services.pool),
      },
      [entitlementsDoor(t.services.usage)],
    );
    const alone = express();
    alone.use(door, (_req, res) => res.status(599).end());
    alone.use(errorHandler);
    const orphan = bearer(userToken('acct_nobody', 'owner'));
    await request(t.app).get('/v1/entitlements/api_calls').set('Authorization', orphan).expect(404);
    const unknown = await request(alone).get('/v1/entitlements/api_calls').set('Authorization', orphan);
    expect([unknown.status, unknown.body.error?.type]).toEqual([404, 'not_found']);
  });

  it('leaves every other entitlement path to the chain', async () => {
    const door = frontDoorOnly(t);
    const token = bearer(userToken('acct_front', 'admin'));
    expect((await request(t.app).get('/v1/entitlements/api_calls').set('Authorization', token)).status).toBe(200);
    expect((await request(door).get('/v1/entitlements/api_calls').set('Authorization', token)).status).toBe(200);
    for (const path of [
      '/v1/entitlements',
      '/v1/entitlements/',
      '/v1/entitlements/snapshot',
      '/v1/entitlements/stream',
      '/v1/entitlements/api_calls/',
      '/v1/entitlements/a/b',
      '/v1/entitlements/%E0%A4%A',
      `/v1/entitlements/${'x'.repeat(65)}`,
      '/v1/entitlements/api_calls?quantity=-1',
      '/v1/entitlements/api_calls?other=1',
    ])
      expect([path, (await request(door).get(path).set('Authorization', token)).status]).toEqual([path, 599]);
  });

  it('records the security headers helmet sets, exactly', async () => {
    const app = express();
    app.use(helmet());
    app.get('/', (_req, res) => res.end());
    const live = await request(app).get('/');
    const recorded = Object.fromEntries(recordHelmetHeaders().map(([name, value]) => [name.toLowerCase(), value]));
    expect(Object.keys(recorded).length).toBeGreaterThan(8);
    for (const [name, value] of Object.entries(recorded)) expect([name, live.headers[name]]).toEqual([name, value]);
    const fromHelmet = Object.keys(live.headers).filter((h) => !['date', 'connection', 'content-length'].includes(h));
    expect(fromHelmet.sort()).toEqual(Object.keys(recorded).sort());
  });
});

describe('the front door, rate limits on', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMITS: 'on', RATE_LIMIT_ACCOUNT: '3' });
    new SimulatedClock(t, start);
    await proAccountUsing(t, 'acct_limited', start);
  });
  afterAll(() => t.close());

  it('counts each request once, whichever way it was answered, and refuses the one over the limit', async () => {
    const kept = countKeptAnswers(t);
    const answers = [];
    for (let i = 0; i < 4; i += 1) answers.push(await getPrompts(t, 'acct_limited'));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(answers.slice(0, 3).map((r) => /;r=(\d+);/.exec(r.headers.ratelimit as string)?.[1])).toEqual([
      '2',
      '1',
      '0',
    ]);
    // The second asked the route's own call (the first had recorded the impressions), the third was kept.
    expect(kept()).toBe(1);
    const refused = answers[3] as (typeof answers)[number];
    expect(refused.body.error.type).toBe('rate_limit_error');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['x-content-type-options']).toBe('nosniff');
    expect(refused.headers['request-id']).toMatch(/^req_/);
  });
});
