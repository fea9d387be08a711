import 'reflect-metadata';
import crypto from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { buildApp } from '../../src/app';
import { mirrorSubscription } from '../../src/billing/mirror-subscription';
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
import { createStripeClient, Stripe, type StripeClient } from '../../src/stripe/stripe-client';
import { priceCodeResolver } from '../../src/webhooks/price-codes';
import { startDatabase } from '../prompts/prompts-environment';
import { BENCH_KEYS, benchToken, openBenchSchema } from '../shared/bench-app';
import { settleDatabase } from '../shared/settle-database';

/**
 * POST /v1/quotes and POST /v1/changes end to end, with the time spent inside Stripe calls
 * measured for each request and subtracted: overhead = total − Stripe time, i.e. what Tierlift
 * itself costs per quote and per change (its database work, journal, rules and rendering).
 *
 * The real app (composition root, Express, served as src/runtime.ts serves it) on its own schema,
 * with the in-process Stripe emulator and the demo catalog synced into it. Each round makes fresh
 * paid accounts (a test clock, a card, Pro monthly, advanced to mid-period, mirrored) and then, one
 * request at a time so the figures are cost and not queueing, for each account: quote and change
 * Pro → Premium (prorated, paid now), 3 extra seats (prorated, paid now) and a one-time training
 * (invoiced and paid now). Three rounds after one unmeasured warm-up round; each round's p50, p90
 * and p99 are printed and the medians of the rounds are the figures.
 *
 * Stripe time: the app's `stripe` client is the SDK pointed at the emulator with a benchmark-only
 * `httpClient` — the SDK's own Node client wrapped so that each call is timed from the moment the
 * SDK hands the request over until its response body has been read and parsed (loopback, the
 * emulator's handling, the JSON). A request's Stripe time is the wall time during which at least
 * one of its calls was outstanding (overlapping calls count once). The client is this process's
 * `http` module with a keep-alive agent; its own cost, well under a millisecond, is overhead.
 * Also printed, because wall time on a shared machine includes waiting for a core: "app CPU", this
 * process's CPU time during the request minus its CPU time inside Stripe calls (the app, the
 * client, not PostgreSQL's work nor the emulator's), and "of which PostgreSQL": the wall time
 * during which at least one of the app's queries was outstanding (pg's Client#query timed, also
 * benchmark-only), with the number of queries.
 * Only public HTTP and the SDK are touched, so the same file runs on older commits.
 * Run: npm run bench:changes (tsx benchmarks/billing/bench-changes.ts); about 2 minutes.
 */
const SETTINGS = {
  rounds: Number(process.env.BENCH_ROUNDS ?? 3),
  accountsPerRound: Number(process.env.BENCH_ACCOUNTS ?? 40),
  warmupAccounts: 8,
  poolSize: 10,
};
/** BENCH_LIST_QUERIES=1 prints the statements of the first measured account's requests (one line each). */
const LIST_QUERIES = process.env.BENCH_LIST_QUERIES === '1';
const listed: string[] = [];
let listing = false;
const TARGETS = { overheadP50Ms: 15 };
const CATALOG_FILE = path.resolve(__dirname, '../../catalog/demo.catalog.yaml');
/** 1 April 2026 00:00 UTC: subscriptions start here; the changes happen mid-period, 16 April. */
const START = Date.UTC(2026, 3, 1) / 1000;
const MIDDLE = START + 15 * 86_400;

const OPERATIONS = [
  { name: 'pro → premium', body: { plan: 'premium' } },
  { name: '3 extra seats', body: { add_ons: [{ code: 'extra_seats', quantity: 3 }] } },
  { name: 'one-time training', body: { add_ons: [{ code: 'training_agency', quantity: 1 }] } },
] as const;

// ---------------------------------------------------------------------------------------------
// Stripe time: the SDK's Node HTTP client, each call timed.

const cpuNow = () => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};

/**
 * Time spent in calls of one kind (Stripe, PostgreSQL) while a window (one measured request) is
 * open: wall time and this process's CPU time while at least one call is outstanding (overlapping
 * calls count once). Calls made while no window is open are counted as stray.
 */
class BusyTimer {
  /** Whether CPU time is sampled too (a getrusage call at each edge: only where a figure uses it). */
  constructor(private readonly sampleCpu: boolean) {}
  private measuring = false;
  private outstanding = 0;
  private busySince = 0;
  private busyCpuSince = 0;
  private wallMs = 0;
  private cpuMs = 0;
  private calls = 0;
  strayCalls = 0;

  open(): void {
    this.measuring = true;
    this.wallMs = 0;
    this.cpuMs = 0;
    this.calls = 0;
    if (this.outstanding > 0) {
      this.busySince = performance.now();
      if (this.sampleCpu) this.busyCpuSince = cpuNow();
    }
  }

  close(): { wallMs: number; cpuMs: number; calls: number } {
    if (this.outstanding > 0) {
      this.wallMs += performance.now() - this.busySince;
      if (this.sampleCpu) this.cpuMs += cpuNow() - this.busyCpuSince;
    }
    this.measuring = false;
    return { wallMs: this.wallMs, cpuMs: this.cpuMs, calls: this.calls };
  }

  /** A call begins; the returned function ends it (once). */
  begin(): () => void {
    if (this.measuring) this.calls += 1;
    else this.strayCalls += 1;
    if (this.outstanding === 0) {
      this.busySince = performance.now();
      if (this.sampleCpu) this.busyCpuSince = cpuNow();
    }
    this.outstanding += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.outstanding -= 1;
      if (this.outstanding === 0 && this.measuring) {
        this.wallMs += performance.now() - this.busySince;
        if (this.sampleCpu) this.cpuMs += cpuNow() - this.busyCpuSince;
      }
    };
  }
}

const stripeTimer = new BusyTimer(true);
// NOTE: the PostgreSQL figure is wall time only; sampling CPU at each query's edges cost the app
// figure ~2 ms per change on a loaded machine (getrusage), time that is the benchmark's, not the app's.
const postgresTimer = new BusyTimer(false);
/**
 * Commits per request: COMMITs, and writes (INSERT, UPDATE, DELETE) sent outside a transaction,
 * each of which is one. A commit waits for the WAL flush: on a loaded disk the dearest statement.
 */
let commits = 0;
const inTransaction = new WeakSet<object>();
function countCommit(client: object, text: string): void {
  const verb = text.trimStart().slice(0, 17).toUpperCase();
  if (verb.startsWith('START TRANSACTION') || verb.startsWith('BEGIN')) inTransaction.add(client);
  else if (verb.startsWith('COMMIT') || verb.startsWith('ROLLBACK')) {
    inTransaction.delete(client);
    if (verb.startsWith('COMMIT')) commits += 1;
  } else if (!inTransaction.has(client) && /^(INSERT|UPDATE|DELETE|WITH)/.test(verb)) commits += 1;
}

/**
 * Every query of the app's pool timed (benchmark-only): `pg`'s Client#query, which TypeORM and the
 * app's own pool users call, with a callback or as a promise.
 */
function timePostgresQueries(): void {
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function timedQuery(this: unknown, ...args: unknown[]) {
    const finish = postgresTimer.begin();
    const first = args[0] as string | { text?: string };
    const text = typeof first === 'string' ? first : (first?.text ?? '');
    countCommit(this as object, text);
    if (listing) {
      listed.push(`    ${text.replace(/\s+/g, ' ').slice(0, 220)}`);
    }
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      args[args.length - 1] = (...results: unknown[]) => {
        finish();
        return (last as (...r: unknown[]) => unknown)(...results);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      (result as Promise<unknown>).then(finish, finish);
    } else finish();
    return result;
  };
}

type HttpClient = ReturnType<typeof Stripe.createNodeHttpClient>;

function timedHttpClient(timer: BusyTimer): HttpClient {
  const inner = Stripe.createNodeHttpClient();
  return {
    getClientName: () => inner.getClientName(),
    makeRequest: async (...args: Parameters<HttpClient['makeRequest']>) => {
      const finish = timer.begin();
      try {
        const response = await inner.makeRequest(...args);
        return {
          getStatusCode: () => response.getStatusCode(),
          getHeaders: () => response.getHeaders(),
          getRawResponse: () => response.getRawResponse(),
          toStream: (done: () => void) =>
            response.toStream(() => {
              finish();
              done();
            }),
          toJSON: () => (response.toJSON() as Promise<unknown>).finally(finish),
          dispose: () => {
            finish();
            response.dispose?.();
          },
        };
      } catch (error) {
        finish();
        throw error;
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The environment: PostgreSQL, the emulator with the demo catalog, the app on a loopback port.

async function startEnvironment(databaseUrl: string) {
  const emulator = await startStripeEmulator({ port: 0 });
  const emulatorTarget = { host: emulator.host, port: emulator.port };
  // NOTE: set-up (accounts, clocks, mirroring) speaks through a client of its own, so that any call
  // the app's client makes outside a measured request shows up as a stray call.
  const setupStripe = createStripeClient({ secretKey: emulator.secretKey, emulator: emulatorTarget });
  const appStripe: StripeClient = new Stripe(emulator.secretKey, {
    maxNetworkRetries: 2,
    timeout: 20000,
    appInfo: { name: 'tierlift', version: '0.1.0' },
    host: emulator.host,
    port: emulator.port,
    protocol: 'http',
    httpClient: timedHttpClient(stripeTimer),
  });
  const schema = `bench_changes_${Date.now()}`;
  const { dataSource, drop } = await openBenchSchema({ databaseUrl, schema, poolSize: SETTINGS.poolSize });
  const loaded = loadCatalog(CATALOG_FILE);
  await syncCatalog({
    loaded,
    stripe: setupStripe,
    versions: new CatalogVersionRepository(dataSource),
    actor: 'bench',
    dryRun: false,
  });
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: BENCH_KEYS.jwtSecret,
    JWT_AUDIENCE: BENCH_KEYS.audience,
    JWT_ISSUER: BENCH_KEYS.issuer,
    SERVER_API_KEY: BENCH_KEYS.server,
    ADMIN_API_KEY: BENCH_KEYS.admin,
    LOG_LEVEL: 'error',
  });
  const logger = createLogger({ level: 'error', format: 'json', silent: true });
  const services = buildServices({ config, logger, dataSource, stripe: appStripe, loadedCatalog: loaded });
  const app = buildApp({
    config,
    logger,
    metrics: createMetrics(),
    readiness: new Readiness([databaseCheck(dataSource)]),
    services,
  });
  const { server, serve } = createExpressServer((_req, res) => res.writeHead(503).end());
  serve(app);
  server.keepAliveTimeout = 30000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const { catalog } = services;
  const resolvePrice = priceCodeResolver({
    planCodes: catalog.plans.map((plan) => plan.code),
    addOnCodes: catalog.add_ons.map((addOn) => addOn.code),
  });
  const proMonthly = (await setupStripe.prices.list({ lookup_keys: ['tierlift_plan_pro_month'] })).data[0];
  if (!proMonthly) throw new Error('the demo catalog has no tierlift_plan_pro_month price');

  /** An account on a test clock with a card and Pro monthly, advanced to mid-period and mirrored. */
  const paidAccount = async (): Promise<string> => {
    const accountId = `acct_${crypto.randomBytes(6).toString('hex')}`;
    const clock = await setupStripe.testHelpers.testClocks.create({ frozen_time: START });
    const customer = await setupStripe.customers.create({
      test_clock: clock.id,
      email: `${accountId}@example.com`,
      metadata: { tierlift_account_id: accountId },
    });
    const card = await setupStripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await setupStripe.customers.update(customer.id, { invoice_settings: { default_payment_method: card.id } });
    await dataSource.query(
      `INSERT INTO accounts (id, name, email, country, locale, industry, signed_up_at, stripe_customer_id)
       VALUES ($1, 'Bench Co', $2, 'US', 'en', 'agency', now(), $3)`,
      [accountId, `${accountId}@example.com`, customer.id],
    );
    const subscription = await setupStripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: proMonthly.id }],
      currency: 'usd',
    });
    await setupStripe.testHelpers.testClocks.advance(clock.id, { frozen_time: MIDDLE });
    for (let attempt = 0; ; attempt += 1) {
      if ((await setupStripe.testHelpers.testClocks.retrieve(clock.id)).status === 'ready') break;
      if (attempt > 200) throw new Error(`test clock ${clock.id} never became ready`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await mirrorSubscription({ dataSource, stripe: setupStripe, resolvePrice }, subscription.id);
    return accountId;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    dataSource,
    paidAccount,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emulator.close();
      await drop();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// One request at a time, timed at the client.

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function post(
  url: string,
  route: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}${route}`,
      {
        method: 'POST',
        agent,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> });
          } catch {
            resolve({ status: res.statusCode ?? 0, body: { raw: text } });
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

interface Sample {
  kind: 'quote' | 'change';
  operation: string;
  totalMs: number;
  stripeMs: number;
  overheadMs: number;
  /** Wall time with at least one PostgreSQL query of the app outstanding (part of the overhead). */
  postgresMs: number;
  /** This process's CPU time during the request outside Stripe calls (the app and the client; not PostgreSQL's). */
  appCpuMs: number;
  stripeCalls: number;
  queries: number;
  commits: number;
}

interface Measured {
  totalMs: number;
  cpuMs: number;
  stripe: { wallMs: number; cpuMs: number; calls: number };
  postgres: { wallMs: number; cpuMs: number; calls: number };
  commits: number;
}

async function timedPost(
  url: string,
  route: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> } & Measured> {
  stripeTimer.open();
  postgresTimer.open();
  const commitsFrom = commits;
  const cpuFrom = cpuNow();
  const from = performance.now();
  const response = await post(url, route, headers, body);
  const to = performance.now();
  const cpuMs = cpuNow() - cpuFrom;
  return {
    ...response,
    totalMs: to - from,
    cpuMs,
    stripe: stripeTimer.close(),
    postgres: postgresTimer.close(),
    commits: commits - commitsFrom,
  };
}

const figures = (r: Measured) => ({
  totalMs: r.totalMs,
  stripeMs: r.stripe.wallMs,
  overheadMs: r.totalMs - r.stripe.wallMs,
  postgresMs: r.postgres.wallMs,
  appCpuMs: r.cpuMs - r.stripe.cpuMs,
  stripeCalls: r.stripe.calls,
  queries: r.postgres.calls,
  commits: r.commits,
});

/** Quote and change each operation for one account, in order; returns the samples and any failure. */
async function exercise(url: string, accountId: string): Promise<{ samples: Sample[]; failures: string[] }> {
  const auth = { authorization: `Bearer ${benchToken(`user_${accountId}`, accountId, 'owner')}` };
  const samples: Sample[] = [];
  const failures: string[] = [];
  for (const operation of OPERATIONS) {
    if (listing) listed.push(`  quote ${operation.name}:`);
    const quoted = await timedPost(url, '/v1/quotes', auth, operation.body);
    if (listing) listed.push(`  change ${operation.name}:`);
    if (quoted.status !== 201 || typeof quoted.body.id !== 'string') {
      failures.push(`${operation.name}: quote answered ${quoted.status} ${JSON.stringify(quoted.body).slice(0, 200)}`);
      continue;
    }
    samples.push({ kind: 'quote', operation: operation.name, ...figures(quoted) });
    const changed = await timedPost(
      url,
      '/v1/changes',
      { ...auth, 'idempotency-key': crypto.randomUUID() },
      { quote_id: quoted.body.id },
    );
    if (changed.status !== 200 || changed.body.status !== 'applied') {
      failures.push(
        `${operation.name}: change answered ${changed.status} ${JSON.stringify(changed.body).slice(0, 200)}`,
      );
      continue;
    }
    samples.push({ kind: 'change', operation: operation.name, ...figures(changed) });
  }
  return { samples, failures };
}

// ---------------------------------------------------------------------------------------------
// Figures.

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const loadLine = () =>
  `${os.cpus().length} CPUs, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

const METRICS = ['totalMs', 'stripeMs', 'overheadMs', 'postgresMs', 'appCpuMs'] as const;
const PERCENTILES = [50, 90, 99] as const;
type Summary = Record<(typeof METRICS)[number], Record<(typeof PERCENTILES)[number], number>> & {
  n: number;
  stripeCalls: number;
  queries: number;
  commits: number;
};

function summarize(samples: Sample[]): Summary {
  const summary = {
    n: samples.length,
    stripeCalls: median(samples.map((s) => s.stripeCalls)),
    queries: median(samples.map((s) => s.queries)),
    commits: median(samples.map((s) => s.commits)),
  } as Summary;
  for (const metric of METRICS) {
    const values = samples.map((s) => s[metric]);
    summary[metric] = { 50: percentile(values, 50), 90: percentile(values, 90), 99: percentile(values, 99) };
  }
  return summary;
}

const triple = (s: Summary, metric: (typeof METRICS)[number]) =>
  PERCENTILES.map((p) => fmt(s[metric][p], 2)).join(' / ');

function printSummary(label: string, s: Summary): void {
  console.log(
    `  ${label.padEnd(28)} n=${String(s.n).padStart(3)}  total ${triple(s, 'totalMs').padEnd(24)} Stripe ${triple(s, 'stripeMs').padEnd(24)} overhead ${triple(s, 'overheadMs')}`,
  );
  console.log(
    `  ${''.padEnd(34)} of which PostgreSQL ${triple(s, 'postgresMs').padEnd(24)} app CPU ${triple(s, 'appCpuMs').padEnd(24)} (${s.stripeCalls} Stripe calls, ${s.queries} queries, ${s.commits} commits)`,
  );
}

/** The median over rounds of each percentile of each metric. */
function medianOfRounds(rounds: Summary[]): Summary {
  const out = {
    n: rounds.reduce((sum, r) => sum + r.n, 0),
    stripeCalls: median(rounds.map((r) => r.stripeCalls)),
    queries: median(rounds.map((r) => r.queries)),
    commits: median(rounds.map((r) => r.commits)),
  } as Summary;
  for (const metric of METRICS) {
    out[metric] = { 50: NaN, 90: NaN, 99: NaN };
    for (const p of PERCENTILES) out[metric][p] = median(rounds.map((r) => r[metric][p]));
  }
  return out;
}

async function main(): Promise<void> {
  const started = Date.now();
  console.log(`Tierlift quotes and changes benchmark — ${new Date().toISOString()}, node ${process.version}`);
  console.log(`${loadLine()} (figures are only comparable on a quiet machine)\n`);
  timePostgresQueries();
  const database = await startDatabase();
  const env = await startEnvironment(database.url);
  let failed = false;
  const rounds: Array<{ quotes: Summary; changes: Summary; byOperation: Map<string, Summary> }> = [];
  let listedOnce = false;
  let warmedUp = false;
  try {
    console.log(
      `${SETTINGS.rounds} rounds of ${SETTINGS.accountsPerRound} accounts after a warm-up of ${SETTINGS.warmupAccounts}; each account: ${OPERATIONS.map((o) => o.name).join(', ')} (a quote, then its change)`,
    );
    console.log(
      'figures in ms as p50 / p90 / p99; overhead = total − Stripe time; of which PostgreSQL = wall time with a query outstanding; app CPU = this process outside Stripe calls\n',
    );
    const runRound = async (accounts: number) => {
      const ids: string[] = [];
      for (let i = 0; i < accounts; i += 1) ids.push(await env.paidAccount());
      await settleDatabase(env.dataSource);
      const strayBefore = stripeTimer.strayCalls;
      const samples: Sample[] = [];
      for (const id of ids) {
        listing = LIST_QUERIES && !listedOnce && warmedUp && id === ids[0];
        const result = await exercise(env.url, id);
        if (listing) {
          listedOnce = true;
          listing = false;
          console.log(`statements of one account's requests:\n${listed.join('\n')}\n`);
        }
        samples.push(...result.samples);
        for (const failure of result.failures) console.log(`  FAILED ${failure}`);
        failed ||= result.failures.length > 0;
      }
      const stray = stripeTimer.strayCalls - strayBefore;
      if (stray > 0) console.log(`  note: ${stray} Stripe calls by the app outside any measured request`);
      return samples;
    };
    await runRound(SETTINGS.warmupAccounts);
    warmedUp = true;
    for (let round = 1; round <= SETTINGS.rounds; round += 1) {
      const samples = await runRound(SETTINGS.accountsPerRound);
      const byOperation = new Map<string, Summary>();
      for (const operation of OPERATIONS)
        for (const kind of ['quote', 'change'] as const)
          byOperation.set(
            `${kind} ${operation.name}`,
            summarize(samples.filter((s) => s.kind === kind && s.operation === operation.name)),
          );
      const summary = {
        quotes: summarize(samples.filter((s) => s.kind === 'quote')),
        changes: summarize(samples.filter((s) => s.kind === 'change')),
        byOperation,
      };
      rounds.push(summary);
      console.log(`round ${round} (${loadLine()}):`);
      printSummary('POST /v1/quotes', summary.quotes);
      printSummary('POST /v1/changes', summary.changes);
    }
    const quotes = medianOfRounds(rounds.map((r) => r.quotes));
    const changes = medianOfRounds(rounds.map((r) => r.changes));
    console.log(`\nmedians of ${SETTINGS.rounds} rounds:`);
    printSummary('POST /v1/quotes', quotes);
    printSummary('POST /v1/changes', changes);
    console.log('  by operation:');
    for (const key of rounds[0]?.byOperation.keys() ?? [])
      printSummary(`  ${key}`, medianOfRounds(rounds.map((r) => r.byOperation.get(key) as Summary)));
    const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
    console.log(
      `\nquote overhead p50 < ${TARGETS.overheadP50Ms} ms: ${verdict(quotes.overheadMs[50] < TARGETS.overheadP50Ms)} (${fmt(quotes.overheadMs[50], 2)} ms)`,
    );
    console.log(
      `change overhead p50 < ${TARGETS.overheadP50Ms} ms: ${verdict(changes.overheadMs[50] < TARGETS.overheadP50Ms)} (${fmt(changes.overheadMs[50], 2)} ms)`,
    );
  } finally {
    await env.close();
    await database.stop();
    agent.destroy();
  }
  console.log(`\nload average at the end ${loadLine()}`);
  console.log(`total run time ${fmt((Date.now() - started) / 1000, 1)} s`);
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
