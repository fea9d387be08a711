import express from 'express';
import request from 'supertest';
import { authenticate } from '../../src/shared/http/authenticate';
import { errorHandler } from '../../src/shared/http/error-handler';
import { idempotent, purgeIdempotencyKeys } from '../../src/shared/http/idempotency';
import { requestContext } from '../../src/shared/http/request-context';
import { createLogger } from '../../src/shared/logger';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { testConfig } from '../support/test-config';
import { bearer, userToken } from '../support/tokens';

let db: TestDatabase;
let executions = 0;
let app: express.Express;

beforeAll(async () => {
  db = await createTestDatabase();
  const config = testConfig();
  const auth = { jwt: config.jwt, apiKeys: config.apiKeys };
  app = express();
  app.use(requestContext(createLogger({ level: 'error', format: 'json', silent: true })));
  app.use(express.json());
  // A stand-in for a money-moving route: counts how often its body really runs.
  app.post('/charge', authenticate(auth, 'user'), idempotent(db.dataSource, { required: true }), async (req, res) => {
    executions += 1;
    await new Promise((r) => setTimeout(r, 150));
    if (req.body.fail === 'server') throw new Error('boom');
    if (req.body.fail === 'client') {
      res.status(402).json({ error: { type: 'payment_error', code: 'card_declined' } });
      return;
    }
    res.status(201).json({ id: `op_${executions}`, amount: req.body.amount });
  });
  app.use(errorHandler);
});
afterAll(() => db.drop());
beforeEach(() => {
  executions = 0;
});

const owner = bearer(userToken('acct_a'));
const post = (key: string | undefined, body: object, auth = owner) => {
  const r = request(app).post('/charge').set('Authorization', auth);
  return (key ? r.set('Idempotency-Key', key) : r).send(body);
};

describe('Idempotency-Key', () => {
  it('replays the first response for the same key and body, running the work once', async () => {
    const first = await post('k-replay', { amount: 500 });
    const second = await post('k-replay', { amount: 500 });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(executions).toBe(1);
  });

  it('answers 409 idempotency_conflict when the same key comes with another body', async () => {
    await post('k-conflict', { amount: 500 }).expect(201);
    const res = await post('k-conflict', { amount: 900 });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('idempotency_conflict');
    expect(executions).toBe(1);
  });

  it('lets exactly one of twenty concurrent requests with one key run; the rest replay or get 409', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => post('k-concurrent', { amount: 100 })));
    expect(executions).toBe(1);
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('idempotency_in_progress');
  });

  it('scopes keys per account: the same key from another account is a new request', async () => {
    await post('k-scope', { amount: 1 }).expect(201);
    await post('k-scope', { amount: 1 }, bearer(userToken('acct_b'))).expect(201);
    expect(executions).toBe(2);
  });

  it('keeps a 4xx answer for replay but forgets a 5xx so the client can retry', async () => {
    await post('k-402', { fail: 'client' }).expect(402);
    await post('k-402', { fail: 'client' }).expect(402);
    expect(executions).toBe(1);
    await post('k-500', { fail: 'server' }).expect(500);
    await post('k-500', { fail: 'server' }).expect(500);
    expect(executions).toBe(3);
  });

  it('refuses a missing or malformed key on a route that requires one', async () => {
    const missing = await post(undefined, { amount: 1 });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'idempotency_key_required', param: 'Idempotency-Key' });
    const malformed = await post('has spaces in it', { amount: 1 });
    expect(malformed.status).toBe(400);
    expect(executions).toBe(0);
  });

  it('lets the same request take over a key abandoned by a crash, and purges old keys', async () => {
    await db.dataSource.query(
      `INSERT INTO idempotency_keys (scope, key, method, path, request_hash, state, created_at)
       VALUES ('account:acct_a', 'k-crashed', 'POST', '/charge', 'other-hash', 'in_progress', now() - interval '10 minutes')`,
    );
    expect((await post('k-crashed', { amount: 7 })).status).toBe(409);
    const hash = (await db.dataSource.query(`SELECT encode(sha256(convert_to($1, 'UTF8')), 'hex') AS h`, [
      `POST\n/charge\n${JSON.stringify({ amount: 7 })}`,
    ])) as Array<{ h: string }>;
    await db.dataSource.query(`UPDATE idempotency_keys SET request_hash = $1 WHERE key = 'k-crashed'`, [hash[0]?.h]);
    expect((await post('k-crashed', { amount: 7 })).status).toBe(201);
    await db.dataSource.query(
      `UPDATE idempotency_keys SET created_at = now() - interval '3 days' WHERE key = 'k-replay'`,
    );
    expect(await purgeIdempotencyKeys(db.dataSource)).toBeGreaterThanOrEqual(1);
  });
});
