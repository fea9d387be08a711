import 'reflect-metadata';
import os from 'node:os';
import path from 'node:path';
import { loadConfigFromProcess } from '../../src/config/config';
import { startEmbeddedPostgres } from '../../src/local/embedded-postgres';
import { buildBenchApp, openBenchSchema } from '../shared/bench-app';

/**
 * Node CPU time per ingested event, without HTTP: `UsageService.ingest` called in process on
 * parsed bodies shaped as bench:usage's (batches of 500, 50 accounts each, one in ten a gauge
 * `set`), one batch at a time. CPU time of this process barely moves with other load on the
 * machine, unlike throughput: it is the figure to compare before and after a change.
 * Run: npm run bench:usage-cpu. DATABASE_URL or the embedded PostgreSQL; a fresh schema, dropped.
 */
const SETTINGS = { accounts: 1000, batchSize: 500, accountsPerBatch: 50, warmup: 50, measured: 400, rounds: 3 };

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
    const timestamp = new Date().toISOString();
    let batchNo = 0;
    // A body as express.json() hands it over: parsed from the text a sender would post.
    const body = () => {
      batchNo += 1;
      const events = Array.from({ length: SETTINGS.batchSize }, (_, i) => {
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
      return JSON.parse(JSON.stringify({ events })) as unknown;
    };
    for (let i = 0; i < SETTINGS.warmup; i += 1) await services.usage.ingest(body());
    console.log(
      `Tierlift ingest CPU — node ${process.version}, load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    for (let round = 1; round <= SETTINGS.rounds; round += 1) {
      const bodies = Array.from({ length: SETTINGS.measured }, body);
      const cpu = process.cpuUsage();
      const started = process.hrtime.bigint();
      for (const b of bodies) await services.usage.ingest(b);
      const used = process.cpuUsage(cpu);
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const events = SETTINGS.measured * SETTINGS.batchSize;
      console.log(
        `round ${round}: ${((used.user + used.system) / events).toFixed(2)} µs Node CPU per event ` +
          `(${(wallMs / SETTINGS.measured).toFixed(2)} ms wall per batch of ${SETTINGS.batchSize})`,
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
