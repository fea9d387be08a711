import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import os from 'node:os';
import express from 'express';
import request from 'supertest';
import { authenticate } from '../../src/shared/http/authenticate';
import { conflict } from '../../src/shared/errors';
import { errorHandler } from '../../src/shared/http/error-handler';
import { idempotent } from '../../src/shared/http/idempotency';
import { ownerIsGone, THIS_PROCESS } from '../../src/shared/http/idempotency-lease';
import { requestContext } from '../../src/shared/http/request-context';
import { createLogger } from '../../src/shared/logger';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { testConfig } from '../support/test-config';
import { bearer, userToken } from '../support/tokens';

let db: TestDatabase;
let app: express.Express;
const reruns: boolean[] = [];
let busy = false;

beforeAll(async () => {
  db = await createTestDatabase();
  const config = testConfig();
  app = express();
  app.use(requestContext(createLogger({ level: 'error', format: 'json', silent: true })));
  app.use(express.json());
  app.post(
    '/charge',
    authenticate({ jwt: config.jwt, apiKeys: config.apiKeys }, 'user'),
    idempotent(db.dataSource, { required: true }),
    (req, res) => {
      reruns.push(req.context.idempotency?.rerun ?? false);
      if (busy) throw conflict('change_in_progress', 'Busy; retry shortly.');
      res.status(201).json({ amount: req.body.amount, rerun: req.context.idempotency?.rerun });
    },
  );
  app.use(errorHandler);
});
afterAll(() => db.drop());
beforeEach(() => {
  reruns.length = 0;
  busy = false;
});

const owner = bearer(userToken('acct_t'));
const post = (key: string, body: object) =>
  request(app).post('/charge').set('Authorization', owner).set('Idempotency-Key', key).send(body);

/** A pid that surely names no process: a child that has already exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid;

/** The row a process leaves behind when it dies in the middle of `body` (kill -9). */
async function leftInProgress(key: string, body: object, keyOwner: string, leaseSeconds: number): Promise<void> {
  const hash = crypto
    .createHash('sha256')
    .update(`POST\n/charge\n${JSON.stringify(body)}`)
    .digest('hex');
  await db.dataSource.query(
    `INSERT INTO idempotency_keys (scope, key, method, path, request_hash, state, owner, lease_until)
     VALUES ('account:acct_t', $1, 'POST', '/charge', $2, 'in_progress', $3, now() + make_interval(secs => $4))`,
    [key, hash, keyOwner, leaseSeconds],
  );
}

describe('an Idempotency-Key left in progress by a process that died', () => {
  it('is taken over at once when its process was on this host and is gone, and the retry is a re-run', async () => {
    await leftInProgress('k-dead', { amount: 5 }, `${os.hostname()}/${deadPid()}/0123abcd`, 30);
    const res = await post('k-dead', { amount: 5 });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ amount: 5, rerun: true });
    expect(reruns).toEqual([true]);
    const replay = await post('k-dead', { amount: 5 });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(reruns).toEqual([true]);
  });

  it('is taken over once its lease lapsed when its process was on another host', async () => {
    await leftInProgress('k-lapsed', { amount: 6 }, 'other-host/1234/ffff', -1);
    expect((await post('k-lapsed', { amount: 6 })).status).toBe(201);
    expect(reruns).toEqual([true]);
  });

  it('stays 409 idempotency_in_progress with Retry-After while a live owner holds its lease', async () => {
    await leftInProgress('k-live-host', { amount: 7 }, 'other-host/1234/ffff', 30);
    await leftInProgress('k-live-pid', { amount: 7 }, `${os.hostname()}/${process.ppid}/0123abcd`, 30);
    for (const key of ['k-live-host', 'k-live-pid']) {
      const res = await post(key, { amount: 7 });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('idempotency_in_progress');
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    expect(reruns).toEqual([]);
  });

  it('does not keep a 409 that asks for a retry: the retry runs again as a re-run and its answer is kept', async () => {
    busy = true;
    const first = await post('k-busy', { amount: 8 });
    expect(first.body.error.code).toBe('change_in_progress');
    busy = false;
    const second = await post('k-busy', { amount: 8 });
    expect(second.status).toBe(201);
    expect(second.body).toEqual({ amount: 8, rerun: true });
    expect(reruns).toEqual([false, true]);
  });
});

describe('ownerIsGone', () => {
  it('knows a dead pid on this host, a restarted process under the same pid, and nothing of other hosts', () => {
    const [host, pid] = THIS_PROCESS.split('/');
    expect(ownerIsGone(`${host}/${deadPid()}/aa`)).toBe(true);
    expect(ownerIsGone(`${host}/${pid}/an-earlier-instance`)).toBe(true);
    expect(ownerIsGone(THIS_PROCESS)).toBe(false);
    expect(ownerIsGone(`${host}/${process.ppid}/aa`)).toBe(false);
    expect(ownerIsGone(`elsewhere/${deadPid()}/aa`)).toBe(false);
    expect(ownerIsGone(null)).toBe(false);
  });
});
