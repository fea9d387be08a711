import 'reflect-metadata';
import crypto from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { startDatabase } from '../prompts/prompts-environment';
import { benchToken } from '../shared/bench-app';
import { startEnvironment } from './bench-environment';
import { settleDatabase } from '../shared/settle-database';
import { fmt, loadLine, medianOfRounds, printSummary, summarize, type Sample, type Summary } from './bench-figures';
import { commitCount, cpuNow, postgresTimer, stripeTimer, timePostgresQueries } from './request-timers';

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

const OPERATIONS = [
  { name: 'pro → premium', body: { plan: 'premium' } },
  { name: '3 extra seats', body: { add_ons: [{ code: 'extra_seats', quantity: 3 }] } },
  { name: 'one-time training', body: { add_ons: [{ code: 'training_agency', quantity: 1 }] } },
] as const;

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
  const commitsFrom = commitCount();
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
    commits: commitCount() - commitsFrom,
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

async function main(): Promise<void> {
  const started = Date.now();
  console.log(`Tierlift quotes and changes benchmark — ${new Date().toISOString()}, node ${process.version}`);
  console.log(`${loadLine()} (figures are only comparable on a quiet machine)\n`);
  timePostgresQueries((text) => {
    if (listing) listed.push(`    ${text.replace(/\s+/g, ' ').slice(0, 220)}`);
  });
  const database = await startDatabase();
  const env = await startEnvironment(database.url, { poolSize: SETTINGS.poolSize });
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
