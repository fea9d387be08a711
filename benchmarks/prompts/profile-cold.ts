import 'reflect-metadata';
import { fork } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { Pool } from 'pg';
import { settleDatabase } from '../shared/settle-database';
import { startDatabase, startPromptsSetup } from './prompts-environment';

/**
 * The cold prompt path alone (decision cache off, 1,000 accounts, the seeded rules), for a CPU
 * profile and a query count: run under `node --cpu-prof` to see where a first view's time goes.
 * Prints app CPU per request and the queries the app sent per request, in one run.
 * With PROMPT_CACHE_SECONDS=30 in the environment it profiles the cached path instead.
 * Run: npx tsx --cpu-prof --cpu-prof-dir=/tmp/prof benchmarks/prompts/profile-cold.ts [seconds]
 */
const SECONDS = Number(process.argv[2] ?? 10);
/** PROMPT_CACHE_SECONDS=30 profiles the cached path instead (the same accounts, decisions kept). */
const CACHE_SECONDS = process.env.PROMPT_CACHE_SECONDS ?? '0';

function runWorker(data: Record<string, unknown>): Promise<{ requests: number; failures: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'load-worker.js'), [], { stdio: 'inherit' });
    child.once('message', (m: { ok: boolean; result?: never; error?: string }) =>
      m.ok ? resolve(m.result as never) : reject(new Error(m.error)),
    );
    child.once('error', reject);
    child.send(data);
  });
}

/** Counts the queries sent through `pool` (every client it hands out). */
function countQueries(pool: Pool): { count: () => number; byText: Map<string, number> } {
  let n = 0;
  const byText = new Map<string, number>();
  const wrap = (client: { query: (...args: unknown[]) => unknown; __counted?: boolean }) => {
    if (client.__counted) return;
    client.__counted = true;
    const original = client.query.bind(client);
    client.query = (...args: unknown[]) => {
      n += 1;
      const first = args[0] as string | { text?: string; name?: string };
      const text = typeof first === 'string' ? first : (first.name ?? first.text ?? '?');
      const key = text.replace(/\s+/g, ' ').slice(0, 70);
      byText.set(key, (byText.get(key) ?? 0) + 1);
      return original(...args);
    };
  };
  pool.on('connect', (client) => wrap(client as never));
  pool.on('acquire', (client) => wrap(client as never));
  return { count: () => n, byText };
}

async function main(): Promise<void> {
  const database = await startDatabase();
  const setup = await startPromptsSetup({ databaseUrl: database.url, accounts: 1000, tokens: 1000, poolSize: 10 });
  try {
    await settleDatabase(setup.dataSource, ['accounts', 'subscriptions', 'usage_gauges', 'offer_rules']);
    const cold = await setup.startVariant({ PROMPT_CACHE_SECONDS: CACHE_SECONDS });
    const base = { url: cold.url, path: '/v1/prompts?placement=dashboard', tokens: setup.tokens, concurrency: 32 };
    // Every account once: impressions are recorded (a write each), as on a day's first views; not measured.
    await runWorker({ ...base, mode: 'throughput', seconds: 4 });
    const pool = (setup.dataSource.driver as unknown as { master: Pool }).master;
    const queries = countQueries(pool);
    const cpu = process.cpuUsage();
    const run = await runWorker({ ...base, mode: 'throughput', seconds: SECONDS });
    const used = process.cpuUsage(cpu);
    const perRequest = (used.user + used.system) / 1000 / Math.max(1, run.requests);
    console.log(
      `cold: ${Math.round(run.requests / run.seconds)} req/s, ${run.failures} failed, ${perRequest.toFixed(3)} ms app CPU/req, ` +
        `${(queries.count() / Math.max(1, run.requests)).toFixed(3)} queries/req; load average ${os
          .loadavg()
          .map((n) => n.toFixed(2))
          .join(' ')}`,
    );
    for (const [text, n] of [...queries.byText].sort((a, b) => b[1] - a[1]).slice(0, 8))
      console.log(`  ${(n / run.requests).toFixed(3)}/req  ${text}`);
  } finally {
    await setup.close();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
