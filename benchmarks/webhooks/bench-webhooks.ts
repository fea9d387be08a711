import 'reflect-metadata';
import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { startStripeEmulator } from '@tierlift/stripe-emulator';
import { createStripeClient } from '../../src/stripe/stripe-client';
import { startDatabase } from '../prompts/prompts-environment';
import { buildBenchApp, openBenchSchema, serveBenchApp } from '../shared/bench-app';
import { settleDatabase } from '../shared/settle-database';
import { appCpuMs, countQueries, loadLine, sendDeliveries, signedEvents, waitUntilDrained } from './webhook-load';

/**
 * Issue #24, webhook inbox. Verified Stripe events accepted per second at `POST /webhooks/stripe`
 * and processed per second by the inbox worker, with the app as `npm start` runs it: the composition
 * root with billing wired (the Stripe emulator in this process) and its webhook event worker
 * (claiming stored events from the inbox, which is also the queue).
 *
 * Every event is distinct (its own id and object), signed with the scheme the stripe SDK verifies
 * (`Stripe.webhooks.generateTestHeaderString`, HMAC-SHA256 over `t.body`) before the clock starts;
 * BENCH_DUPLICATE_SHARE of them are sent a second time (Stripe retries), which must answer
 * `duplicate: true` and be applied once. A child process sends them with BENCH_SENDERS requests in
 * flight over keep-alive connections. Event types: payment_intent.succeeded and
 * checkout.session.expired (billing looks for an operation waiting on the object: a query, and
 * the event is marked ignored when none waits) and customer.created (no handler: stored, ignored).
 * "Processed" = every stored event reached a final status. Two phases of BENCH_EVENTS events each:
 * "intake only" pauses processing while the deliveries arrive (the accept's own CPU and queries per
 * delivery), then resumes it and times the drain; "mixed" processes while accepting, timed from the
 * first send. Each prints the app's CPU (process.cpuUsage) and PostgreSQL queries per delivery while
 * accepting, and per event in all (accept + processing).
 * Run: npm run bench:webhooks (DATABASE_URL, or an embedded PostgreSQL); about a minute.
 */
const SETTINGS = {
  events: Number(process.env.BENCH_EVENTS ?? 20000),
  warmup: Number(process.env.BENCH_WARMUP ?? 1000),
  senders: Number(process.env.BENCH_SENDERS ?? 64),
  duplicateShare: Number(process.env.BENCH_DUPLICATE_SHARE ?? 0.05),
  poolSize: Number(process.env.BENCH_POOL ?? 10),
};
const TARGET_ACCEPTED_PER_SECOND = 2000;
const SECRET = `whsec_${crypto.randomBytes(24).toString('hex')}`;

async function main(): Promise<void> {
  console.log(`Tierlift webhook inbox benchmark — ${new Date().toISOString()}, node ${process.version}`);
  console.log(`${loadLine()} (wall figures are only comparable on a quiet machine)\n`);
  const queries = countQueries();
  const database = await startDatabase();
  const emulator = await startStripeEmulator({ port: 0 });
  const schema = `bench_webhooks_${Date.now()}`;
  const { dataSource, drop } = await openBenchSchema({
    databaseUrl: database.url,
    schema,
    poolSize: SETTINGS.poolSize,
  });
  const stripe = createStripeClient({
    secretKey: emulator.secretKey,
    emulator: { host: emulator.host, port: emulator.port },
  });
  const { app, services } = buildBenchApp(database.url, dataSource, { STRIPE_WEBHOOK_SECRET: SECRET }, { stripe });
  const { server, url } = await serveBenchApp(app);
  await services.webhooks.startWorker();
  let failed = false;
  try {
    /** One phase: `intakeOnly` pauses processing while the deliveries arrive, then resumes it. */
    const round = async (count: number, intakeOnly: boolean) => {
      const { deliveries, distinct, idPrefix } = signedEvents({
        count,
        secret: SECRET,
        duplicateShare: SETTINGS.duplicateShare,
      });
      if (intakeOnly) await services.webhooks.pauseProcessing();
      const queriesBefore = queries.count;
      const cpuBefore = appCpuMs();
      const started = performance.now();
      const sent = await sendDeliveries({ urls: [url], deliveries, senders: SETTINGS.senders });
      const acceptCpu = appCpuMs() - cpuBefore;
      const acceptQueries = queries.count - queriesBefore;
      const resumed = performance.now();
      if (intakeOnly) await services.webhooks.resumeProcessing();
      const drained = await waitUntilDrained(dataSource, { idPrefix, expected: distinct.length }, 300_000);
      const processSeconds = (performance.now() - (intakeOnly ? resumed : started)) / 1000;
      const [found] = (await dataSource.query(
        `SELECT count(*)::int AS stored, count(*) FILTER (WHERE attempts > 1)::int AS retried,
                count(*) FILTER (WHERE status IN ('failed', 'dead'))::int AS failed
           FROM webhook_events WHERE id = ANY($1)`,
        [distinct],
      )) as Array<{ stored: number; retried: number; failed: number }>;
      return {
        intakeOnly,
        count,
        deliveries: deliveries.length,
        sent,
        acceptCpu,
        acceptQueries,
        totalCpu: appCpuMs() - cpuBefore,
        drained,
        processSeconds,
        check: found ?? { stored: 0, retried: 0, failed: 0 },
        queries: queries.count - queriesBefore,
      };
    };
    const warm = await round(SETTINGS.warmup, false);
    console.log(`warm-up: ${warm.sent.accepted} deliveries accepted (unmeasured)`);
    console.log(
      `${SETTINGS.events} distinct events + ${Math.round(SETTINGS.events * SETTINGS.duplicateShare)} repeated deliveries per phase, ${SETTINGS.senders} senders in flight, keep-alive, 1 instance, pool ${SETTINGS.poolSize}`,
    );
    for (const intakeOnly of [true, false]) {
      await settleDatabase(dataSource, ['webhook_events']);
      const r = await round(SETTINGS.events, intakeOnly);
      const acceptedPerSecond = r.sent.accepted / r.sent.seconds;
      const duplicatesSent = r.deliveries - r.count;
      const lines = [
        intakeOnly
          ? '\n== intake only (processing paused while the deliveries arrive, resumed after) =='
          : '\n== mixed (the worker processing in the same process while the deliveries arrive) ==',
        `accepted: ${r.sent.accepted} of ${r.deliveries} in ${r.sent.seconds.toFixed(2)} s = ${acceptedPerSecond.toFixed(0)} deliveries/s (target >= ${TARGET_ACCEPTED_PER_SECOND}); answered duplicate: ${r.sent.duplicates} (expected ${duplicatesSent})`,
        `refused: ${
          Object.entries(r.sent.failures)
            .map(([why, n]) => `${n} × ${why}`)
            .join('; ') || 'none'
        }`,
        `app CPU while accepting: ${(r.acceptCpu / r.sent.accepted).toFixed(3)} ms per delivery${intakeOnly ? ' (accept alone)' : ' (server and worker in this process)'}; PostgreSQL queries while accepting: ${(r.acceptQueries / r.sent.accepted).toFixed(2)} per delivery`,
        `processed: ${r.drained.final} of ${r.count} events final (${r.drained.byStatus}) after ${r.processSeconds.toFixed(2)} s ${intakeOnly ? 'from the resume' : 'from the first send'} = ${(r.drained.final / r.processSeconds).toFixed(0)} events/s`,
        `exactly once: ${r.check.stored} rows for ${r.count} ids, ${r.check.retried} claimed more than once, ${r.check.failed} failed/dead`,
        `in all (accept + process): ${(r.totalCpu / r.count).toFixed(3)} ms app CPU and ${(r.queries / r.count).toFixed(2)} PostgreSQL queries per event`,
        `after: ${loadLine()}`,
      ];
      console.log(lines.join('\n'));
      failed ||=
        acceptedPerSecond < TARGET_ACCEPTED_PER_SECOND ||
        r.sent.accepted !== r.deliveries ||
        r.sent.duplicates !== duplicatesSent ||
        r.check.stored !== r.count ||
        r.check.retried !== 0 ||
        r.drained.final !== r.count;
    }
  } finally {
    await services.webhooks.stopWorker();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await emulator.close();
    // The worker's pg-boss schema first: drop() also closes this pool.
    await dataSource.query(`DROP SCHEMA IF EXISTS "pgboss_${schema}" CASCADE`);
    await drop();
    await database.stop();
  }
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
