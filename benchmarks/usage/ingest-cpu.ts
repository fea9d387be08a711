import 'reflect-metadata';
import os from 'node:os';
import path from 'node:path';
import { loadConfigFromProcess } from '../../src/config/config';
import { startEmbeddedPostgres } from '../../src/local/embedded-postgres';
import { pgPoolOf } from '../../src/usage/pg-pool';
import { backendCpuMs, backendCpuSpent } from '../shared/backend-cpu';
import { buildBenchApp, openBenchSchema } from '../shared/bench-app';
import { createLikeUsageEvents, unnestQuery, type Row } from './raw-ceiling';

/**
 * CPU time per ingested event, without HTTP: `UsageService.ingest` called in process on parsed
 * bodies shaped as bench:usage's (batches of 500, 50 accounts each, one in ten a gauge `set`),
 * one batch at a time — Node's CPU (process.cpuUsage) and PostgreSQL's backends' (from /proc,
 * when PostgreSQL runs on this machine). Then the raw ceiling's insert of the same rows into a
 * table shaped as usage_events, measured the same way: the two totals' ratio is the share of
 * the raw ceiling that CPU allows when the machine is the bottleneck. CPU time barely moves with
 * other load on the machine, unlike throughput: these are the figures to compare before and after.
 * Run: npm run bench:usage-cpu. DATABASE_URL or the embedded PostgreSQL; a fresh schema, dropped.
 */
const SETTINGS = { accounts: 1000, batchSize: 500, accountsPerBatch: 50, warmup: 50, measured: 400, rounds: 3 };

interface Event {
  id: string;
  account_id: string;
  feature: string;
  quantity: number;
  action: string;
  timestamp: string;
}

const perEvent = (ms: number) => ((ms * 1000) / (SETTINGS.measured * SETTINGS.batchSize)).toFixed(2);

async function main(): Promise<void> {
  let databaseUrl = loadConfigFromProcess().database.url;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!databaseUrl) {
    const embedded = await startEmbeddedPostgres({
      dataDir: path.resolve(__dirname, '../../.data/bench-postgres'),
      database: 'tierlift_bench',
    });
    stopEmbedded = () => embedded.stop();
    databaseUrl = embedded.url;
  }
  const { dataSource, drop } = await openBenchSchema({ databaseUrl, schema: `bench_cpu_${Date.now()}`, poolSize: 4 });
  try {
    const { services } = buildBenchApp(databaseUrl, dataSource);
    await dataSource.query(
      `INSERT INTO accounts (id, name, email, country, locale, signed_up_at)
       SELECT 'bench_' || n, 'Bench ' || n, 'bench' || n || '@example.test', 'DE', 'de-DE', now() - (n % 365) * interval '1 day'
       FROM generate_series(1, $1) AS n`,
      [SETTINGS.accounts],
    );
    const pool = pgPoolOf(dataSource);
    await createLikeUsageEvents(pool, 'bench_raw_unnest');
    const timestamp = new Date().toISOString();
    let batchNo = 0;
    const events = (): Event[] => {
      batchNo += 1;
      return Array.from({ length: SETTINGS.batchSize }, (_, i) => {
        const gauge = i % 10 === 9;
        return {
          id: `cpu_${batchNo}_${i}`,
          account_id: `bench_${((batchNo * SETTINGS.accountsPerBatch + (i % SETTINGS.accountsPerBatch)) % SETTINGS.accounts) + 1}`,
          feature: gauge ? 'projects' : i % 3 === 0 ? 'exports' : 'api_calls',
          quantity: gauge ? i % 3 : 1,
          action: gauge ? 'set' : 'increment',
          timestamp,
        };
      });
    };
    // A body as express.json() hands it over: parsed from the text a sender would post.
    const body = () => JSON.parse(JSON.stringify({ events: events() })) as unknown;
    // The raw ceiling's rows, built beforehand as raw-ceiling.ts builds them.
    const rows = (): Row[] =>
      events().map((e) => [e.account_id, e.id, e.feature, e.action, e.quantity, e.timestamp, e.timestamp]);
    for (let i = 0; i < SETTINGS.warmup; i += 1) {
      await services.usage.ingest(body());
      await pool.query(unnestQuery('bench_raw_unnest', rows()));
    }
    console.log(
      `Tierlift ingest CPU — node ${process.version}, load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    const measure = async <T>(work: T[], run: (item: T) => Promise<unknown>) => {
      const pg = await backendCpuMs(dataSource);
      const cpu = process.cpuUsage();
      const started = process.hrtime.bigint();
      for (const item of work) await run(item);
      const used = process.cpuUsage(cpu);
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      return {
        nodeMs: (used.user + used.system) / 1000,
        pgMs: backendCpuSpent(pg, await backendCpuMs(dataSource)),
        wallMs,
      };
    };
    for (let round = 1; round <= SETTINGS.rounds; round += 1) {
      const ingest = await measure(Array.from({ length: SETTINGS.measured }, body), (b) => services.usage.ingest(b));
      const raw = await measure(Array.from({ length: SETTINGS.measured }, rows), (r) =>
        pool.query(unnestQuery('bench_raw_unnest', r)),
      );
      console.log(
        `round ${round}: ingest ${perEvent(ingest.nodeMs)} µs Node CPU + ${perEvent(ingest.pgMs)} µs PostgreSQL CPU per event ` +
          `(${(ingest.pgMs / SETTINGS.measured).toFixed(2)} ms PostgreSQL CPU, ${(ingest.wallMs / SETTINGS.measured).toFixed(2)} ms wall per batch of ${SETTINGS.batchSize}); ` +
          `raw insert ${perEvent(raw.nodeMs)} + ${perEvent(raw.pgMs)} µs (${(raw.pgMs / SETTINGS.measured).toFixed(2)} ms PostgreSQL CPU per batch); ` +
          `raw / ingest CPU ${(((raw.nodeMs + raw.pgMs) / (ingest.nodeMs + ingest.pgMs)) * 100).toFixed(1)}%`,
      );
    }
  } finally {
    await drop();
    await stopEmbedded?.();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
