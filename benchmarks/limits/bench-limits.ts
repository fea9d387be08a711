import 'reflect-metadata';
import crypto from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Express } from 'express';
import type { DataSource } from 'typeorm';
import { buildApp } from '../../src/app';
import { CatalogVersionRepository } from '../../src/catalog/catalog-version.repository';
import { loadCatalog } from '../../src/catalog/load-catalog';
import { syncCatalog } from '../../src/catalog/sync/sync-catalog';
import { buildServices } from '../../src/composition';
import { loadConfig } from '../../src/config/config';
import { startStripeEmulator } from '@tierlift/stripe-emulator';
import { createMetrics } from '../../src/ops/metrics';
import { databaseCheck, Readiness } from '../../src/ops/readiness';
import { createExpressServer } from '../../src/shared/http/express-server';
import { createLogger } from '../../src/shared/logger';
import { createStripeClient, type StripeClient } from '../../src/stripe/stripe-client';
import { startDatabase } from '../prompts/prompts-environment';
import { BENCH_KEYS, benchToken, openBenchSchema } from '../shared/bench-app';

/**
 * Issue #19, acceptance 2: while one token hammers POST /v1/quotes, another account's
 * GET /v1/account keeps its p50 within 2× of idle.
 *
 * The real app (composition root, Express, served as src/runtime.ts serves it) with the default
 * rate limits (README, "Configuration"), the in-process Stripe emulator and the demo catalog.
 * Phases: idle (the observer alone); hammered with limits on (1,000 quotes from one token, sent at
 * 100 a second without waiting for answers: BENCH_QUOTES, BENCH_QUOTES_PER_SECOND); and, for
 * contrast, the same with RATE_LIMITS=off. The observer sends GET /v1/account one request at a time,
 * taking turns over 50 other accounts (each far below its own limit, as a person's page would be),
 * for as long as the hammer runs, in this process like the hammer. Prints p50 / p90 / p99 and the ratio
 * of the hammered p50 to idle; exits 1 when the limited ratio is over 2 (a figure, not a test).
 * Run: npm run bench:limits (tsx benchmarks/limits/bench-limits.ts); about a minute.
 */
const SETTINGS = {
  observerRequests: 300,
  /** Other accounts the observer's requests take turns on. */
  observers: 50,
  warmup: 50,
  quotes: Number(process.env.BENCH_QUOTES ?? 1000),
  /** The issue's client sent 1,000 quotes in 60 s (17 a second); this one sends 100 a second. */
  quotesPerSecond: Number(process.env.BENCH_QUOTES_PER_SECOND ?? 100),
  poolSize: 10,
};
const TARGET_RATIO = 2;
const CATALOG_FILE = path.resolve(__dirname, '../../catalog/demo.catalog.yaml');

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function send(url: string, method: string, auth: string, body?: object): Promise<number> {
  return new Promise((resolve, reject) => {
    const payload = body ? JSON.stringify(body) : undefined;
    const req = http.request(
      url,
      {
        method,
        agent,
        headers: {
          authorization: auth,
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', (error) => reject(new Error(`${method} ${url}: ${error.message}`)));
    req.end(payload);
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

interface Summary {
  p50: number;
  p90: number;
  p99: number;
}

function summarise(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99) };
}

const fmt = (s: Summary) => `${s.p50.toFixed(1)} / ${s.p90.toFixed(1)} / ${s.p99.toFixed(1)} ms`;

async function listen(app: Express): Promise<{ url: string; close(): Promise<void> }> {
  const { server, serve } = createExpressServer((_req, res) => res.writeHead(503).end());
  serve(app);
  server.keepAliveTimeout = 30000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function appFor(databaseUrl: string, dataSource: DataSource, stripe: StripeClient, rateLimits: 'on' | 'off') {
  const config = loadConfig({
    NODE_ENV: 'test',
    RATE_LIMITS: rateLimits,
    DATABASE_URL: databaseUrl,
    JWT_SECRET: BENCH_KEYS.jwtSecret,
    JWT_AUDIENCE: BENCH_KEYS.audience,
    JWT_ISSUER: BENCH_KEYS.issuer,
    SERVER_API_KEY: BENCH_KEYS.server,
    ADMIN_API_KEY: BENCH_KEYS.admin,
    LOG_LEVEL: 'error',
  });
  const logger = createLogger({ level: 'error', format: 'json', silent: true });
  const loadedCatalog = loadCatalog(CATALOG_FILE);
  const services = buildServices({ config, logger, dataSource, stripe, loadedCatalog });
  const app = buildApp({
    config,
    logger,
    metrics: createMetrics(),
    readiness: new Readiness([databaseCheck(dataSource)]),
    services,
  });
  return { app, config };
}

let observed = 0;

/** Round-robin over the observers' accounts: each stays far below its own limit, as a person's page would. */
async function observe(url: string, observers: string[], requests: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < requests; i += 1) {
    const started = performance.now();
    const status = await send(`${url}/v1/account`, 'GET', observers[observed++ % observers.length] ?? '');
    samples.push(performance.now() - started);
    if (status !== 200) throw new Error(`observer got ${status}`);
  }
  return samples;
}

/** Quotes from one token at a steady `rate` a second (open loop: not slowed by answers), `quotes` in all. */
async function hammer(url: string, auth: string, quotes: number, rate: number) {
  const statuses = new Map<number, number>();
  const started = performance.now();
  const inFlight: Array<Promise<void>> = [];
  for (let sent = 0; sent < quotes; sent += 1) {
    const due = started + (sent * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(
      send(`${url}/v1/quotes`, 'POST', auth, { plan: 'pro' }).then(
        (status) => void statuses.set(status, (statuses.get(status) ?? 0) + 1),
        (error: Error) => {
          statuses.set(-1, (statuses.get(-1) ?? 0) + 1);
          console.log(`  ${error.message}`);
        },
      ),
    );
  }
  await Promise.all(inFlight);
  return { sent: quotes, seconds: (performance.now() - started) / 1000, statuses };
}

/** The observer measures one request at a time for as long as the hammer runs: every sample is under load. */
async function phase(url: string, observers: string[], hammerer: string) {
  let hammering = true;
  const hammered = hammer(url, hammerer, SETTINGS.quotes, SETTINGS.quotesPerSecond).finally(() => (hammering = false));
  const samples: number[] = [];
  while (hammering) samples.push(...(await observe(url, observers, 1)));
  return { summary: summarise(samples), samples: samples.length, ...(await hammered) };
}

async function main(): Promise<void> {
  console.log(`Tierlift rate-limit benchmark — ${new Date().toISOString()}, node ${process.version}`);
  console.log(
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (figures are only comparable on a quiet machine)\n`,
  );
  const database = await startDatabase();
  const emulator = await startStripeEmulator({ port: 0 });
  const stripe = createStripeClient({
    secretKey: emulator.secretKey,
    emulator: { host: emulator.host, port: emulator.port },
  });
  const schema = `bench_limits_${Date.now()}`;
  const { dataSource, drop } = await openBenchSchema({
    databaseUrl: database.url,
    schema,
    poolSize: SETTINGS.poolSize,
  });
  const listening: Array<{ close(): Promise<void> }> = [];
  let failed = false;
  try {
    await syncCatalog({
      loaded: loadCatalog(CATALOG_FILE),
      stripe,
      versions: new CatalogVersionRepository(dataSource),
      actor: 'bench',
      dryRun: false,
    });
    const account = async () => {
      const id = `acct_${crypto.randomBytes(6).toString('hex')}`;
      await dataSource.query(
        `INSERT INTO accounts (id, name, email, country, locale, signed_up_at) VALUES ($1, 'Bench Co', $2, 'US', 'en', now())`,
        [id, `${id}@example.com`],
      );
      return `Bearer ${benchToken(`user_${id}`, id, 'owner')}`;
    };
    const limited = appFor(database.url, dataSource, stripe, 'on');
    const unlimited = appFor(database.url, dataSource, stripe, 'off');
    const limitedServer = await listen(limited.app);
    const unlimitedServer = await listen(unlimited.app);
    listening.push(limitedServer, unlimitedServer);
    const limits = limited.config.rateLimits;
    console.log(
      `limits: ${limits.moneyAccount} quotes/changes/refunds and ${limits.account} requests per account every ${limits.windowSeconds} s (the defaults)`,
    );
    console.log(
      `hammer: ${SETTINGS.quotes} × POST /v1/quotes from one token at ${SETTINGS.quotesPerSecond} a second; observer: GET /v1/account over ${SETTINGS.observers} other accounts, one at a time, idle (${SETTINGS.observerRequests}) and for as long as the hammer runs\n`,
    );

    const accounts = async (count: number) => Promise.all(Array.from({ length: count }, account));
    await observe(limitedServer.url, await accounts(SETTINGS.observers), SETTINGS.warmup);
    const idle = summarise(
      await observe(limitedServer.url, await accounts(SETTINGS.observers), SETTINGS.observerRequests),
    );
    console.log(`idle                     p50 / p90 / p99  ${fmt(idle)}`);

    const on = await phase(limitedServer.url, await accounts(SETTINGS.observers), await account());
    const onRatio = on.summary.p50 / idle.p50;
    console.log(`hammered, limits on      p50 / p90 / p99  ${fmt(on.summary)}   p50 ${onRatio.toFixed(2)}× idle`);
    console.log(
      `  ${on.samples} observer requests; ${on.sent} quotes in ${on.seconds.toFixed(1)} s: ${[...on.statuses].map(([s, n]) => `${n} × ${s}`).join(', ')}`,
    );

    const off = await phase(unlimitedServer.url, await accounts(SETTINGS.observers), await account());
    const offRatio = off.summary.p50 / idle.p50;
    console.log(`hammered, RATE_LIMITS=off p50 / p90 / p99  ${fmt(off.summary)}   p50 ${offRatio.toFixed(2)}× idle`);
    console.log(
      `  ${off.samples} observer requests; ${off.sent} quotes in ${off.seconds.toFixed(1)} s: ${[...off.statuses].map(([s, n]) => `${n} × ${s}`).join(', ')}`,
    );

    failed = !(onRatio <= TARGET_RATIO);
    console.log(
      `\ntarget: hammered p50 within ${TARGET_RATIO}× idle with limits on — ${failed ? 'MISSED' : 'met'} (${onRatio.toFixed(2)}×)`,
    );
  } finally {
    for (const server of listening) await server.close();
    agent.destroy();
    await emulator.close();
    await drop();
    await database.stop();
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
