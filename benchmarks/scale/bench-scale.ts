import 'reflect-metadata';
import { loadLine } from '../webhooks/webhook-load';
import { seedAccounts, startCluster } from './scale-cluster';
import { costPerRoute, type RouteCost } from './scale-cost';
import { mixedLoad } from './scale-mixed';

/**
 * Issue #24, "more than one machine". BENCH_INSTANCES (3) instances of the service, each a
 * process of its own on its own port (benchmarks/scale/scale-instance.ts: the composition root,
 * app, webhook worker, outbound event worker and billing janitor), one PostgreSQL (DATABASE_URL,
 * else an embedded one) and one Stripe emulator over HTTP shared by all.
 *
 * 1. Mixed load, round-robined across the instances: first prompt views, entitlement checks, usage
 *    batches (every tenth sent again to another instance), for each paid account two quotes each
 *    carried out on two instances at once, and signed Stripe webhooks to random instances (every
 *    tenth delivered to two). Then the checks, PASS/FAIL each (exit code 1 on a FAIL): usage
 *    counters equal the distinct events; each quote yields at most one change, and the emulator's
 *    new charges per customer equal the changes applied; each webhook event is stored and applied once.
 * 2. PostgreSQL's cost per request of each hot route, run alone: deltas of pg_stat_database
 *    (transactions, rows returned/fetched/inserted/updated/deleted) after the statistics are
 *    published, the idle cluster's background rate subtracted; queries counted by a hook on the
 *    instances' `pg` clients (pg_stat_statements needs shared_preload_libraries, which the
 *    embedded server lacks); the instances' CPU per request (process.cpuUsage).
 * Run: npm run bench:scale; about 3 minutes.
 */
const SETTINGS = {
  instances: Number(process.env.BENCH_INSTANCES ?? 3),
  poolSize: Number(process.env.BENCH_POOL ?? 10),
  accounts: Number(process.env.BENCH_ACCOUNTS ?? 2000),
  paidAccounts: Number(process.env.BENCH_PAID_ACCOUNTS ?? 12),
  mixed: {
    prompts: Number(process.env.BENCH_PROMPTS ?? 1500),
    entitlements: Number(process.env.BENCH_ENTITLEMENTS ?? 1500),
    usageBatches: Number(process.env.BENCH_USAGE_BATCHES ?? 300),
    usageBatchSize: 20,
    webhooks: Number(process.env.BENCH_WEBHOOKS ?? 1500),
    concurrency: 24,
  },
  cost: { requests: Number(process.env.BENCH_COST_REQUESTS ?? 300), concurrency: 8 },
};

const fmt = (n: number, digits = 1) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : '—';

function printCosts(costs: RouteCost[]): void {
  const header = [
    'route',
    'n',
    'queries',
    'transactions (app / pg_stat)',
    'rows read',
    'rows written',
    'app CPU ms',
    'req/s alone',
  ];
  console.log(header.join(' | '));
  for (const c of costs) {
    const p = c.perRequest;
    const read = p.tup_returned + p.tup_fetched;
    const written = p.tup_inserted + p.tup_updated + p.tup_deleted;
    console.log(
      [
        c.route,
        c.requests,
        fmt(p.queries),
        `${fmt(p.transactions)} / ${fmt(p.xact_commit + p.xact_rollback)}`,
        `${fmt(read)} (returned ${fmt(p.tup_returned)}, fetched ${fmt(p.tup_fetched)})`,
        `${fmt(written)} (ins ${fmt(p.tup_inserted)}, upd ${fmt(p.tup_updated)}, del ${fmt(p.tup_deleted)})`,
        fmt(p.cpuMs, 2),
        fmt(c.requests / c.seconds, 0),
      ].join(' | '),
    );
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  console.log(
    `Tierlift ${SETTINGS.instances}-instance benchmark — ${new Date().toISOString()}, node ${process.version}`,
  );
  console.log(`${loadLine()} (wall figures are only comparable on a quiet machine)\n`);
  const cluster = await startCluster({ count: SETTINGS.instances, poolSize: SETTINGS.poolSize });
  let failed = false;
  try {
    console.log(`instances: ${cluster.instances.map((i) => i.url).join(', ')}; pool ${SETTINGS.poolSize} each`);
    const accounts = await seedAccounts(cluster.dataSource, SETTINGS.accounts);
    const paid: Array<{ accountId: string; customerId: string }> = [];
    for (let i = 0; i < SETTINGS.paidAccounts; i += 1) paid.push(await cluster.paidAccount());
    console.log(`${accounts.length} accounts, ${paid.length} paying on Stripe test clocks\n`);

    const mixed = await mixedLoad(cluster, accounts.slice(0, Math.floor(accounts.length / 2)), paid, SETTINGS.mixed);
    console.log(
      `mixed load: ${mixed.requests} requests in ${mixed.seconds.toFixed(1)} s = ${fmt(mixed.requests / mixed.seconds, 0)} req/s across ${SETTINGS.instances} instances (${loadLine()})`,
    );
    for (const check of mixed.checks) {
      console.log(`${check.pass ? 'PASS' : 'FAIL'}  ${check.name}: ${check.detail}`);
      failed ||= !check.pass;
    }

    console.log(
      `\nPostgreSQL cost per request, each route alone, ${SETTINGS.cost.concurrency} in flight over the instances:`,
    );
    const { background, quiet, costs } = await costPerRoute(cluster, accounts, paid, SETTINGS.cost);
    const idle = (label: string, b: typeof background) =>
      `${label}: ${fmt(b.queries / SETTINGS.instances)} queries, ${fmt(b.transactions / SETTINGS.instances)} / ${fmt(b.xact_commit / SETTINGS.instances)} transactions, ${fmt((b.tup_returned + b.tup_fetched) / SETTINGS.instances)} rows read, ${fmt(b.cpuMs / SETTINGS.instances)} ms CPU per second per instance`;
    console.log(idle('idle instance, workers polling', background));
    console.log(idle('idle instance, workers paused', quiet));
    console.log(
      '(each figure minus that idle background; every route but the webhooks measured with the workers paused)',
    );
    printCosts(costs);
  } finally {
    await cluster.close();
  }
  console.log(`\n${loadLine()} at the end; total ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
