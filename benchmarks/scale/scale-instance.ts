import 'reflect-metadata';
import pg from 'pg';
import { loadConfig } from '../../src/config/config';
import { buildDataSource } from '../../src/shared/database/data-source';
import { createLogger } from '../../src/shared/logger';
import { createStripeClient } from '../../src/stripe/stripe-client';
import { assembleBenchApp, BENCH_KEYS, serveBenchApp } from '../shared/bench-app';

/**
 * One instance of the service for bench-scale.ts, a process of its own: the composition root and
 * app as src/runtime.ts builds them, on the shared schema, speaking to the shared Stripe emulator
 * over HTTP, with its webhook worker, outbound event worker and billing janitor running (as `npm
 * start` runs them). Over IPC it answers `stats` with its CPU time and the queries and transactions it
 * has sent, and `pause` / `resume` stop and restart those workers.
 * NODE_ENV=test: rate limits are off (every request comes from one loopback address).
 */
const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

/**
 * Queries and transactions as this process's `pg` clients send them: a statement outside
 * BEGIN … COMMIT is a transaction of its own; BEGIN opens one that COMMIT or ROLLBACK closes.
 */
let queries = 0;
let transactions = 0;
const inTransaction = new WeakSet<object>();
const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
const original = prototype.query;
prototype.query = function countedQuery(this: object, ...args: unknown[]) {
  queries += 1;
  const first = args[0];
  const text = (typeof first === 'string' ? first : ((first as { text?: string })?.text ?? '')).trimStart();
  const verb = text.slice(0, 17).toUpperCase();
  if (verb.startsWith('BEGIN') || verb.startsWith('START TRANSACTION')) {
    inTransaction.add(this);
    transactions += 1;
  } else if (verb.startsWith('COMMIT') || verb.startsWith('ROLLBACK') || verb.startsWith('END')) {
    inTransaction.delete(this);
  } else if (!inTransaction.has(this)) transactions += 1;
  return original.apply(this, args);
};

async function main(): Promise<void> {
  const databaseUrl = env('SCALE_DATABASE_URL');
  const schema = env('SCALE_SCHEMA');
  const [host, port] = env('SCALE_EMULATOR').split(':');
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    DATABASE_SCHEMA: schema,
    JWT_SECRET: BENCH_KEYS.jwtSecret,
    JWT_AUDIENCE: BENCH_KEYS.audience,
    JWT_ISSUER: BENCH_KEYS.issuer,
    SERVER_API_KEY: BENCH_KEYS.server,
    ADMIN_API_KEY: BENCH_KEYS.admin,
    STRIPE_WEBHOOK_SECRET: env('SCALE_WEBHOOK_SECRET'),
    LOG_LEVEL: 'error',
  });
  const dataSource = buildDataSource({
    url: databaseUrl,
    schema,
    poolSize: Number(process.env.DB_POOL_SIZE ?? 10),
    statementTimeoutMs: 15000,
    lockTimeoutMs: 5000,
  });
  await dataSource.initialize();
  const stripe = createStripeClient({
    secretKey: env('SCALE_STRIPE_KEY'),
    emulator: { host: host ?? '127.0.0.1', port: Number(port) },
  });
  const logger = createLogger({ level: 'error', format: 'json' });
  const { app, services } = assembleBenchApp(config, dataSource, { stripe, logger });
  const { server, url } = await serveBenchApp(app);
  await services.webhooks.startWorker();
  services.events.startWorker();
  await services.billing?.startJanitor();

  const workers = {
    pause: async () => {
      await services.billing?.stopJanitor();
      await services.events.stopWorker();
      await services.webhooks.stopWorker();
    },
    resume: async () => {
      await services.webhooks.startWorker();
      services.events.startWorker();
      await services.billing?.startJanitor();
    },
  };
  process.on('message', (message: { type: string }) => {
    // NOTE: pausing the workers lets the cost phase measure a route without their polling around it.
    if (message.type === 'pause' || message.type === 'resume')
      void workers[message.type]().then(() => process.send?.({ type: message.type }));
    if (message.type === 'stats') {
      const used = process.cpuUsage();
      process.send?.({ type: 'stats', cpuMs: (used.user + used.system) / 1000, queries, transactions });
    }
    if (message.type === 'stop') {
      void (async () => {
        await workers.pause();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await dataSource.destroy();
        process.exit(0);
      })();
    }
  });
  process.send?.({ type: 'ready', url });
}

main().catch((error: unknown) => {
  process.stderr.write(`instance failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
