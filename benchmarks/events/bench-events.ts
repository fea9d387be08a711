import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Webhook } from 'standardwebhooks';
import { DeliveryWorker } from '../../src/events/delivery-worker';
import { EventEndpointsRepository } from '../../src/events/event-endpoints.repository';
import { httpSender } from '../../src/events/http-sender';
import { recordOutboundEvent } from '../../src/events/record-outbound-event';
import { createLogger } from '../../src/shared/logger';
import { pgPoolOf } from '../../src/usage/pg-pool';
import { startDatabase } from '../prompts/prompts-environment';
import { openBenchSchema } from '../shared/bench-app';

/**
 * Issue #21, acceptance 5. Two figures:
 * 1. the outbox write's added latency: a state change (an UPDATE) in a transaction, with and
 *    without `recordOutboundEvent` beside it; p50 of the write itself and of the difference;
 * 2. deliveries per second to a local receiver: BENCH_EVENTS events over BENCH_ACCOUNTS accounts
 *    (per-account order holds: one in flight per account and endpoint), to BENCH_ENDPOINTS endpoints,
 *    by BENCH_WORKERS delivery loops in this process; every 50th delivery's signature is verified.
 * Run: npm run bench:events (DATABASE_URL, or an embedded PostgreSQL); under a minute.
 */
const SETTINGS = {
  latencySamples: Number(process.env.BENCH_LATENCY_SAMPLES ?? 2000),
  events: Number(process.env.BENCH_EVENTS ?? 20000),
  accounts: Number(process.env.BENCH_ACCOUNTS ?? 2000),
  endpoints: Number(process.env.BENCH_ENDPOINTS ?? 2),
  workers: Number(process.env.BENCH_WORKERS ?? 2),
  batch: Number(process.env.BENCH_BATCH ?? 500),
};
const TARGETS = { deliveriesPerSecond: 1000, addedP50Ms: 1 };

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

async function main(): Promise<void> {
  const database = await startDatabase();
  const schema = `bench_events_${Date.now()}`;
  const { dataSource, drop } = await openBenchSchema({ databaseUrl: database.url, schema, poolSize: 20 });
  const pool = () => pgPoolOf(dataSource);
  try {
    // 1. The outbox write inside the request's transaction.
    await dataSource.query(`CREATE TABLE bench_state (id int PRIMARY KEY, n bigint NOT NULL)`);
    await dataSource.query(`INSERT INTO bench_state SELECT g, 0 FROM generate_series(1, 100) g`);
    const plain: number[] = [];
    const withEvent: number[] = [];
    const writeOnly: number[] = [];
    for (let i = 0; i < SETTINGS.latencySamples * 2; i += 1) {
      const emit = i % 2 === 1;
      const client = await pool().connect();
      const started = performance.now();
      await client.query('BEGIN');
      await client.query('UPDATE bench_state SET n = n + 1 WHERE id = $1', [(i % 100) + 1]);
      if (emit) {
        const before = performance.now();
        await recordOutboundEvent(client, {
          type: 'usage.threshold_crossed',
          accountId: `acct_${i % 100}`,
          data: { feature: 'api_calls', threshold_percent: 80, used: 40000, limit: 50000 },
        });
        writeOnly.push(performance.now() - before);
      }
      await client.query('COMMIT');
      (emit ? withEvent : plain).push(performance.now() - started);
      client.release();
    }
    const added = percentile(withEvent, 50) - percentile(plain, 50);
    await dataSource.query('UPDATE outbound_events SET fanned_out_at = now()');

    // 2. Deliveries per second.
    const secrets: string[] = [];
    let received = 0;
    let verified = 0;
    const receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received += 1;
        if (received % 50 === 0) {
          const index = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('ep'));
          new Webhook(secrets[index]!).verify(Buffer.concat(chunks).toString('utf8'), {
            'webhook-id': String(req.headers['webhook-id']),
            'webhook-timestamp': String(req.headers['webhook-timestamp']),
            'webhook-signature': String(req.headers['webhook-signature']),
          });
          verified += 1;
        }
        res.writeHead(204).end();
      });
    });
    receiver.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as AddressInfo).port;
    const repository = new EventEndpointsRepository(pool);
    for (let e = 0; e < SETTINGS.endpoints; e += 1) {
      const id = await repository.create({
        url: `http://127.0.0.1:${port}/hooks?ep=${e}`,
        eventTypes: [],
        description: null,
        now: new Date(),
      });
      secrets.push((await repository.find(id, new Date()))!.secret);
    }
    await dataSource.query(
      `INSERT INTO outbound_events (id, type, account_id, data, occurred_at)
       SELECT 'evt_' || replace(gen_random_uuid()::text, '-', ''), 'usage.threshold_crossed', 'acct_' || (g % $2),
              jsonb_build_object('feature', 'api_calls', 'threshold_percent', 80, 'used', g, 'limit', 50000), now()
         FROM generate_series(1, $1) g`,
      [SETTINGS.events, SETTINGS.accounts],
    );
    const expected = SETTINGS.events * SETTINGS.endpoints;
    const sender = httpSender({ timeoutMs: 10_000, production: false, maxSockets: 256 });
    const logger = createLogger({ level: 'error', format: 'json' });
    const workers = Array.from(
      { length: SETTINGS.workers },
      () =>
        new DeliveryWorker({
          pool,
          logger,
          send: sender.send,
          now: () => new Date(),
          timeoutMs: 10_000,
          batchSize: SETTINGS.batch,
          pollMs: 5,
        }),
    );
    const started = performance.now();
    for (const worker of workers) worker.start();
    while (received < expected && performance.now() - started < 120_000)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const seconds = (performance.now() - started) / 1000;
    await Promise.all(workers.map((worker) => worker.stop()));
    sender.close();
    receiver.closeAllConnections();
    receiver.close();
    const [{ delivered }] = await dataSource.query(
      `SELECT count(*)::int AS delivered FROM event_deliveries WHERE status = 'delivered'`,
    );
    const rate = received / seconds;
    const retried: Array<{ why: string | null; n: number }> = await dataSource.query(
      `SELECT COALESCE(last_error, 'HTTP ' || last_response_code) AS why, count(*)::int AS n
         FROM event_deliveries WHERE attempts > 1 GROUP BY 1 ORDER BY 2 DESC LIMIT 5`,
    );

    const lines = [
      'outbound events benchmark (issue #21)',
      `outbox write inside the transaction: p50 ${percentile(writeOnly, 50).toFixed(3)} ms, p90 ${percentile(writeOnly, 90).toFixed(3)} ms (${SETTINGS.latencySamples} samples)`,
      `transaction p50 without / with the event: ${percentile(plain, 50).toFixed(3)} / ${percentile(withEvent, 50).toFixed(3)} ms; added p50 ${added.toFixed(3)} ms (target < ${TARGETS.addedP50Ms} ms)`,
      `deliveries: ${received} of ${expected} (${delivered} recorded delivered, ${verified} signatures verified) in ${seconds.toFixed(2)} s`,
      `retried deliveries: ${retried.map((r) => `${r.n} (${r.why})`).join(', ') || 'none'}`,
      `deliveries per second: ${rate.toFixed(0)} (target >= ${TARGETS.deliveriesPerSecond}); ${SETTINGS.endpoints} endpoints, ${SETTINGS.accounts} accounts, ${SETTINGS.workers} loops, batch ${SETTINGS.batch}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (rate < TARGETS.deliveriesPerSecond || percentile(writeOnly, 50) >= TARGETS.addedP50Ms) process.exitCode = 1;
  } finally {
    await drop();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
