import crypto from 'node:crypto';
import { sendDeliveries, sign, stripeEvent, type Delivery } from '../webhooks/webhook-load';
import type { Cluster } from './scale-cluster';
import { call, runTasks, serverAuth, usageBatch, userAuth } from './scale-http';

/** pg_stat_database's counters for this database, and the instances' own counts (CPU, queries, transactions). */
const FIELDS = [
  'xact_commit',
  'xact_rollback',
  'tup_returned',
  'tup_fetched',
  'tup_inserted',
  'tup_updated',
  'tup_deleted',
] as const;
const CLIENT = ['queries', 'transactions', 'cpuMs'] as const;
type Counters = Record<(typeof FIELDS)[number] | (typeof CLIENT)[number], number>;

export interface RouteCost {
  route: string;
  requests: number;
  /** Per request, the idle background (workers' polling, janitors) subtracted. */
  perRequest: Counters;
  seconds: number;
}

/** PostgreSQL publishes a backend's counters within 10 s of its going idle (PGSTAT_IDLE_INTERVAL). */
const FLUSH_WAIT_MS = 11_500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Reading {
  at: number;
  values: Partial<Counters>;
}

async function readServer(cluster: Cluster): Promise<Reading> {
  const [row] = (await cluster.dataSource.query(
    `SELECT ${FIELDS.map((f) => `${f}::float8 AS ${f}`).join(', ')} FROM pg_stat_database WHERE datname = current_database()`,
  )) as Array<Record<string, number>>;
  const values: Partial<Counters> = {};
  for (const f of FIELDS) values[f] = Number(row?.[f] ?? 0);
  return { at: performance.now(), values };
}

async function readInstances(cluster: Cluster): Promise<Reading> {
  const stats = await Promise.all(cluster.instances.map((instance) => instance.stats()));
  const values: Partial<Counters> = { queries: 0, transactions: 0, cpuMs: 0 };
  for (const s of stats) for (const k of CLIENT) values[k] = (values[k] ?? 0) + s[k];
  return { at: performance.now(), values };
}

/** Per-second rates (background) or per-request deltas between two readings of the same kind. */
function delta(before: Reading, after: Reading, background: Partial<Counters> | undefined, divisor: number) {
  const elapsed = (after.at - before.at) / 1000;
  const out: Partial<Counters> = {};
  for (const k of Object.keys(after.values) as Array<keyof Counters>) {
    const change = (after.values[k] ?? 0) - (before.values[k] ?? 0);
    out[k] = background ? (change - (background[k] ?? 0) * elapsed) / divisor : change / elapsed;
  }
  return out;
}

/**
 * Runs `work` alone. The instances' own counts are read at once after it; PostgreSQL's after its
 * statistics are published. Both minus the idle background over their windows, per request.
 */
async function measure(
  cluster: Cluster,
  background: Counters,
  route: string,
  requests: number,
  work: () => Promise<void>,
): Promise<RouteCost> {
  const server = await readServer(cluster);
  const own = await readInstances(cluster);
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  const ownAfter = await readInstances(cluster);
  await sleep(FLUSH_WAIT_MS);
  const serverAfter = await readServer(cluster);
  const perRequest = {
    ...delta(server, serverAfter, background, requests),
    ...delta(own, ownAfter, background, requests),
  } as Counters;
  return { route, requests, perRequest, seconds };
}

/** The idle cluster's own rate (workers polling, janitors, this script's readings), per second. */
async function backgroundRate(cluster: Cluster): Promise<Counters> {
  await sleep(FLUSH_WAIT_MS);
  const server = await readServer(cluster);
  const own = await readInstances(cluster);
  await sleep(2 * FLUSH_WAIT_MS);
  const ownAfter = await readInstances(cluster);
  const serverAfter = await readServer(cluster);
  return { ...delta(server, serverAfter, undefined, 1), ...delta(own, ownAfter, undefined, 1) } as Counters;
}

/** Each hot route alone, round-robined over the instances, `concurrency` requests in flight. */
export async function costPerRoute(
  cluster: Cluster,
  accounts: string[],
  paid: Array<{ accountId: string }>,
  options: { requests: number; concurrency: number },
): Promise<{ background: Counters; quiet: Counters; costs: RouteCost[] }> {
  const urls = cluster.instances.map((instance) => instance.url);
  const at = (i: number) => urls[i % urls.length] as string;
  const n = options.requests;
  const many = (count: number, task: (i: number) => Promise<unknown>) =>
    runTasks(
      Array.from({ length: count }, (_, i) => async () => void (await task(i))),
      options.concurrency,
    ).then(() => undefined);
  const workers = (state: 'pause' | 'resume') => Promise.all(cluster.instances.map((i) => i.workers(state)));
  // The idle cluster with its workers polling: each instance's fixed cost, and what the webhook row subtracts.
  const background = await backgroundRate(cluster);
  // The other routes are measured with the workers paused: their polling would drown a route's rows.
  await workers('pause');
  const quiet = await backgroundRate(cluster);
  const costs: RouteCost[] = [];
  // The second half of the accounts: not viewed in the mixed phase, so each view is a first one (cold).
  const cold = accounts.slice(Math.floor(accounts.length / 2));
  costs.push(
    await measure(cluster, quiet, 'GET /v1/prompts (first view)', n, () =>
      many(n, (i) => call(at(i), 'GET', '/v1/prompts', userAuth(cold[i % cold.length] as string))),
    ),
  );
  costs.push(
    await measure(cluster, quiet, 'GET /v1/entitlements/{feature}', n, () =>
      many(n, (i) =>
        call(at(i), 'GET', '/v1/entitlements/api_calls', userAuth(accounts[i % accounts.length] as string, 'member')),
      ),
    ),
  );
  const run = `c${crypto.randomBytes(4).toString('hex')}`;
  costs.push(
    await measure(cluster, quiet, 'POST /v1/usage (1 event)', n, () =>
      many(n, (i) => call(at(i), 'POST', '/v1/usage', serverAuth, usageBatch(`${run}a`, i, 1, accounts))),
    ),
  );
  const batches = Math.max(10, Math.round(n / 5));
  costs.push(
    await measure(cluster, quiet, 'POST /v1/usage (batch of 100)', batches, () =>
      many(batches, (i) => call(at(i), 'POST', '/v1/usage', serverAuth, usageBatch(`${run}b`, i * 100, 100, accounts))),
    ),
  );
  const quotes = paid.length * 3;
  const quoteBody = (i: number) => ({ add_ons: [{ code: 'extra_seats', quantity: 4 + (i % 3) }] });
  costs.push(
    await measure(cluster, quiet, 'POST /v1/quotes', quotes, () =>
      many(quotes, (i) =>
        call(at(i), 'POST', '/v1/quotes', userAuth(paid[i % paid.length]?.accountId as string), quoteBody(i)),
      ),
    ),
  );
  let applied = 0;
  const pairs = await measure(cluster, quiet, 'POST /v1/quotes + /v1/changes', paid.length, () =>
    many(paid.length, async (i) => {
      const auth = userAuth(paid[i]?.accountId as string);
      const quote = await call(at(i), 'POST', '/v1/quotes', auth, quoteBody(i + 1));
      const change = await call(
        at(i + 1),
        'POST',
        '/v1/changes',
        { ...auth, 'idempotency-key': crypto.randomUUID() },
        { quote_id: quote.body.id },
      );
      if (change.status === 200 && change.body.status === 'applied') applied += 1;
    }),
  );
  pairs.route = `POST /v1/quotes + /v1/changes (${applied} of ${paid.length} applied)`;
  costs.push(pairs);
  const deliveries: Delivery[] = [];
  const hookRun = crypto.randomBytes(4).toString('hex');
  for (let i = 0; i < n; i += 1) {
    const { body } = stripeEvent(['payment_intent.succeeded', 'customer.created'][i % 2] as string, i, hookRun);
    deliveries.push({ body, signature: sign(body, cluster.webhookSecret), to: i % urls.length });
  }
  await workers('resume');
  await sleep(FLUSH_WAIT_MS);
  costs.push(
    await measure(cluster, background, 'POST /webhooks/stripe (accepted and processed)', n, async () => {
      await sendDeliveries({ urls, deliveries, senders: options.concurrency });
    }),
  );
  return { background, quiet, costs };
}
