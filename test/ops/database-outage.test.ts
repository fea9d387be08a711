import net from 'node:net';
import request from 'supertest';
import type { Express } from 'express';
import type { DataSource } from 'typeorm';
import { buildApp } from '../../src/app';
import { buildServices } from '../../src/composition';
import { createMetrics } from '../../src/ops/metrics';
import { databaseCheck, Readiness, stripeCheck } from '../../src/ops/readiness';
import { buildDataSource } from '../../src/shared/database/data-source';
import { createLogger } from '../../src/shared/logger';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { testConfig } from '../support/test-config';
import { adminAuth, bearer, serverAuth, userToken } from '../support/tokens';

/**
 * Issue #19, acceptance 3: the test's own database stops (its pool reaches PostgreSQL through a TCP
 * relay this test owns; closing the relay refuses new connections and cuts open ones, as a stopped
 * server does; the shared PostgreSQL is never touched) → every route answers 503 with Retry-After
 * in the error envelope, /readyz says `database: unavailable` without any internal detail, and once
 * the database is back every request succeeds again.
 */

/** A TCP relay to PostgreSQL that can be stopped (refusing and cutting connections) and started again. */
class Relay {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    if (this.server) return;
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', resolve);
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

const ACCOUNT = 'acct_outage';
const owner = bearer(userToken(ACCOUNT, 'owner'));
let db: TestDatabase;
let relay: Relay;
let dataSource: DataSource;
let app: Express;

beforeAll(async () => {
  db = await createTestDatabase();
  const target = new URL(db.url);
  relay = new Relay({ host: target.hostname, port: Number(target.port || 5432) });
  await relay.start();
  const relayed = new URL(db.url);
  relayed.hostname = '127.0.0.1';
  relayed.port = String(relay.port);
  // NOTE: through the relay, over TCP: the embedded server's URL names its Unix socket folder as `host`.
  relayed.searchParams.delete('host');
  dataSource = buildDataSource({
    url: relayed.toString(),
    schema: db.schema,
    poolSize: 4,
    statementTimeoutMs: 30000,
    lockTimeoutMs: 10000,
  });
  await dataSource.initialize();
  const config = testConfig();
  const logger = createLogger({ level: 'error', format: 'json', silent: !process.env.TEST_LOG_LEVEL });
  const services = buildServices({ config, logger, dataSource });
  // Stripe stands in unreachable the whole time: it is reported, and must never fail readiness.
  const stripeDown = {
    products: {
      list: async () => {
        throw new Error('connect ECONNREFUSED api.stripe.com');
      },
    },
  };
  const readiness = new Readiness([databaseCheck(dataSource), stripeCheck(stripeDown)]);
  app = buildApp({ config, logger, metrics: createMetrics(), readiness, services });
  await request(app)
    .put(`/v1/accounts/${ACCOUNT}`)
    .set('Authorization', serverAuth)
    .send({ name: 'Outage Ltd', email: 'o@example.com', country: 'DE', locale: 'de-DE' })
    .expect(201);
});
afterAll(async () => {
  await relay?.start();
  if (dataSource?.isInitialized) await dataSource.destroy();
  await db?.drop();
  await relay?.stop();
});

/** Routes that each need the database: an end user's, the SaaS backend's (a write) and an operator's. */
const calls = [
  () => request(app).get('/v1/account').set('Authorization', owner),
  () =>
    request(app)
      .put(`/v1/accounts/${ACCOUNT}`)
      .set('Authorization', serverAuth)
      .send({ name: 'Outage Ltd', email: 'o@example.com', country: 'DE', locale: 'de-DE' }),
  () => request(app).get('/admin/v1/offers').set('Authorization', adminAuth),
  () => request(app).get(`/admin/v1/accounts/${ACCOUNT}`).set('Authorization', adminAuth),
];

const INTERNALS = /ECONNREFUSED|ECONNRESET|127\.0\.0\.1|5432|postgres|terminated|api\.stripe\.com/i;

describe('the database stops and comes back', () => {
  it('is ready with the database up though Stripe is down, reporting Stripe separately', async () => {
    const res = await request(app).get('/readyz').expect(200);
    expect(res.body).toEqual({ status: 'ready', checks: { database: 'ok', stripe: 'unavailable' } });
  });

  it('answers 503 database_unavailable with Retry-After while it is down, and nothing internal', async () => {
    await relay.stop();
    for (let round = 0; round < 3; round += 1) {
      for (const call of calls) {
        const res = await call();
        expect(res.status).toBe(503);
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        expect(res.body).toEqual({
          error: {
            type: 'api_error',
            code: 'database_unavailable',
            message: expect.any(String),
            request_id: expect.any(String),
          },
        });
        expect(res.text).not.toMatch(INTERNALS);
      }
    }
    const ready = await request(app).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'not_ready', checks: { database: 'unavailable', stripe: 'unavailable' } });
    expect(ready.text).not.toMatch(INTERNALS);
  });

  it('serves every request again once the database is back, with no error in between', async () => {
    await relay.start();
    const statuses: number[] = [];
    for (let round = 0; round < 5; round += 1) for (const call of calls) statuses.push((await call()).status);
    expect(statuses.filter((s) => s >= 400)).toEqual([]);
    expect((await request(app).get('/readyz')).body).toEqual({
      status: 'ready',
      checks: { database: 'ok', stripe: 'unavailable' },
    });
  });
});
