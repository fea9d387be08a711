import 'reflect-metadata';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { pgPoolOf } from '../../src/usage/pg-pool';
import { startBenchEnvironment } from '../usage/bench-environment';

/**
 * Entitlement-check benchmark (#24): GET /v1/entitlements/{feature} at a steady 1,000 req/s, open
 * loop (requests leave on schedule whether or not earlier ones returned), with the queries the app
 * ran and the process CPU time per request. Prints figures; asserts nothing.
 * Run: npm run bench:entitlements. Reuses benchmarks/usage's environment and load worker, read-only.
 */
const SETTINGS = { accounts: 1000, tokens: 200, poolSize: 10, rate: 1000, seconds: 10, warmupSeconds: 2, rounds: 3 };
const TARGET_P99_MS = 5;

interface LatencyResult {
  latencies: number[];
  failures: number;
  timedOut: number;
  requests: number;
}

function runLoad(data: Record<string, unknown>): Promise<LatencyResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, '../usage/load-worker.js'), { workerData: data });
    worker.once('message', (message: { ok: boolean; result?: LatencyResult; error?: string }) => {
      void worker.terminate();
      if (message.ok) resolve(message.result as LatencyResult);
      else reject(new Error(message.error));
    });
    worker.once('error', reject);
  });
}

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

async function main(): Promise<void> {
  console.log(
    `Tierlift entitlement-check benchmark — ${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} CPUs, load ${load()}`,
  );
  const env = await startBenchEnvironment(SETTINGS);
  let failed = false;
  try {
    const pool = pgPoolOf(env.dataSource);
    let queries = 0;
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
    (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      queries += 1;
      return query(...args);
    };
    const features = ['api_calls', 'seats', 'projects', 'exports', 'sso'];
    const p99s: number[] = [];
    for (let round = 1; round <= SETTINGS.rounds; round += 1) {
      const cpuBefore = process.cpuUsage();
      const loopBefore = performance.eventLoopUtilization();
      const queriesBefore = queries;
      const result = await runLoad({
        mode: 'latency',
        url: env.url,
        tokens: env.tokens,
        features,
        rate: SETTINGS.rate,
        durationSeconds: SETTINGS.seconds,
        warmupSeconds: SETTINGS.warmupSeconds,
      });
      const cpu = process.cpuUsage(cpuBefore);
      // NOTE: the app's own thread: time its event loop was busy (on a loaded machine this includes preemption).
      const loop = performance.eventLoopUtilization(loopBefore);
      const requests = result.requests + SETTINGS.rate * SETTINGS.warmupSeconds;
      failed ||= result.failures > 0 || result.timedOut > 0;
      // Unanswered requests count as infinitely slow, so they cannot flatter the percentiles.
      const sorted = [...result.latencies, ...Array<number>(result.timedOut).fill(Infinity)].sort((a, b) => a - b);
      p99s.push(percentile(sorted, 99));
      console.log(
        `round ${round}: ${fmt(result.requests)} checks over ${SETTINGS.seconds} s (${result.failures} failed, ${result.timedOut} unanswered)\n` +
          `  p50 ${fmt(percentile(sorted, 50), 2)} ms, p90 ${fmt(percentile(sorted, 90), 2)} ms, p99 ${fmt(percentile(sorted, 99), 2)} ms, max ${fmt(sorted[sorted.length - 1] ?? NaN, 2)} ms\n` +
          `  ${fmt((queries - queriesBefore) / requests, 3)} queries/request; process CPU (app + load worker) ${fmt((cpu.user + cpu.system) / requests, 0)} µs/request; ` +
          `app event loop busy ${fmt((loop.active * 1000) / requests, 0)} µs/request; load ${load()}`,
      );
    }
    const worst = Math.max(...p99s);
    console.log(
      `\n${SETTINGS.tokens} accounts checked, ${SETTINGS.rate} req/s, open loop, the first round's warm-up fills the cache.` +
        `\ntarget p99 < ${TARGET_P99_MS} ms at 1,000 req/s: worst round ${fmt(worst, 2)} ms — ${worst < TARGET_P99_MS ? 'met' : 'MISSED'}`,
    );
  } finally {
    await env.close();
  }
  if (failed) process.exit(1);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
