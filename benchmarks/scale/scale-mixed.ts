import crypto from 'node:crypto';
import { sendDeliveries, sign, stripeEvent, waitUntilDrained, type Delivery } from '../webhooks/webhook-load';
import type { Cluster } from './scale-cluster';
import { call, runTasks, serverAuth, shuffle, usageBatch, userAuth } from './scale-http';

export interface MixedSettings {
  prompts: number;
  entitlements: number;
  usageBatches: number;
  usageBatchSize: number;
  webhooks: number;
  concurrency: number;
}

export interface Check {
  name: string;
  pass: boolean;
  detail: string;
}

const WEBHOOK_TYPES = ['payment_intent.succeeded', 'checkout.session.expired', 'customer.created'];
const OPERATIONS = [{ plan: 'premium' }, { add_ons: [{ code: 'extra_seats', quantity: 3 }] }];

/**
 * Every kind of request at once, round-robined over the instances, then the correctness checks:
 * exact usage counters, at most one change and one Stripe charge per quote, each webhook applied once.
 */
export async function mixedLoad(
  cluster: Cluster,
  accounts: string[],
  paid: Array<{ accountId: string; customerId: string }>,
  settings: MixedSettings,
): Promise<{ checks: Check[]; seconds: number; requests: number }> {
  const urls = cluster.instances.map((instance) => instance.url);
  const at = (i: number) => urls[i % urls.length] as string;
  const run = `u${crypto.randomBytes(4).toString('hex')}`;
  const statuses = new Map<string, number>();
  const count = (key: string) => statuses.set(key, (statuses.get(key) ?? 0) + 1);
  const tasks: Array<() => Promise<void>> = [];

  for (let i = 0; i < settings.prompts; i += 1)
    tasks.push(async () => {
      const answer = await call(at(i), 'GET', '/v1/prompts', userAuth(accounts[i % accounts.length] as string));
      count(`prompts ${answer.status}`);
    });
  for (let i = 0; i < settings.entitlements; i += 1)
    tasks.push(async () => {
      const account = accounts[(i * 7) % accounts.length] as string;
      const answer = await call(at(i + 1), 'GET', '/v1/entitlements/api_calls', userAuth(account, 'member'));
      count(`entitlements ${answer.status}`);
    });
  const distinctUsage = settings.usageBatches * settings.usageBatchSize;
  for (let b = 0; b < settings.usageBatches; b += 1) {
    const batch = usageBatch(run, b * settings.usageBatchSize, settings.usageBatchSize, accounts);
    const targets = b % 10 === 0 ? [b, b + 1] : [b];
    for (const t of targets)
      tasks.push(async () => {
        const answer = await call(at(t), 'POST', '/v1/usage', serverAuth, batch);
        count(`usage ${answer.status}`);
      });
  }
  const appliedPerQuote: number[] = [];
  const appliedPerCustomer = new Map<string, number>();
  paid.forEach(({ accountId, customerId }, k) =>
    tasks.push(async () => {
      for (const operation of OPERATIONS) {
        const quote = await call(at(k), 'POST', '/v1/quotes', userAuth(accountId), operation);
        count(`quotes ${quote.status}`);
        if (typeof quote.body.id !== 'string') continue;
        // The same quote carried out on two instances at once, with different idempotency keys.
        const answers = await Promise.all(
          [k + 1, k + 2].map((t) =>
            call(
              at(t),
              'POST',
              '/v1/changes',
              { ...userAuth(accountId), 'idempotency-key': crypto.randomUUID() },
              {
                quote_id: quote.body.id,
              },
            ),
          ),
        );
        const applied = answers.filter((a) => a.status === 200 && a.body.status === 'applied').length;
        for (const a of answers) count(`changes ${a.status}`);
        appliedPerQuote.push(applied);
        appliedPerCustomer.set(customerId, (appliedPerCustomer.get(customerId) ?? 0) + applied);
      }
    }),
  );

  const deliveries: Delivery[] = [];
  const eventIds: string[] = [];
  const webhookRun = crypto.randomBytes(4).toString('hex');
  for (let i = 0; i < settings.webhooks; i += 1) {
    const { id, body } = stripeEvent(WEBHOOK_TYPES[i % WEBHOOK_TYPES.length] as string, i, webhookRun);
    const signature = sign(body, cluster.webhookSecret);
    eventIds.push(id);
    const to = crypto.randomInt(urls.length);
    deliveries.push({ body, signature, to });
    // Every tenth event delivered twice, to two different instances (Stripe retries to any of them).
    if (i % 10 === 0) deliveries.push({ body, signature, to: (to + 1) % urls.length });
  }

  const chargesBefore = await chargesOf(cluster, paid);
  const started = process.hrtime.bigint();
  const [sent] = await Promise.all([
    sendDeliveries({ urls, deliveries: shuffle(deliveries), senders: 16 }),
    runTasks(shuffle(tasks), settings.concurrency),
  ]);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const drained = await waitUntilDrained(
    cluster.dataSource,
    { idPrefix: `evt_${webhookRun}`, expected: eventIds.length },
    180_000,
  );
  const chargesAfter = await chargesOf(cluster, paid);

  const db = cluster.dataSource;
  const [usage] = (await db.query(
    `SELECT (SELECT count(*)::int FROM usage_events WHERE event_id LIKE $1 || '\\_%') AS events,
            (SELECT COALESCE(sum(used), 0)::int FROM usage_counters WHERE feature = 'api_calls') AS counted`,
    [run],
  )) as Array<{ events: number; counted: number }>;
  const [hooks] = (await db.query(
    `SELECT count(*)::int AS stored, count(*) FILTER (WHERE attempts <> 1)::int AS not_once,
            count(*) FILTER (WHERE status NOT IN ('processed', 'ignored'))::int AS unfinished
       FROM webhook_events WHERE id = ANY($1)`,
    [eventIds],
  )) as Array<{ stored: number; not_once: number; unfinished: number }>;
  const chargeMismatch = paid.filter(
    ({ customerId }) =>
      (chargesAfter.get(customerId) ?? 0) - (chargesBefore.get(customerId) ?? 0) !==
      (appliedPerCustomer.get(customerId) ?? 0),
  );
  const refusedKinds = [...statuses].filter(([key]) => !/ (200|201)$/.test(key) && !key.startsWith('changes 409'));
  const applied = appliedPerQuote.reduce((s, n) => s + n, 0);
  const duplicatesSent = deliveries.length - eventIds.length;
  const checks: Check[] = [
    {
      name: 'usage counters exactly equal the distinct events sent',
      pass: usage?.events === distinctUsage && usage?.counted === distinctUsage,
      detail: `${distinctUsage} distinct events (${Math.ceil(settings.usageBatches / 10)} batches sent twice, to two instances): ${usage?.events} stored, counters sum ${usage?.counted}`,
    },
    {
      name: 'each quote yields at most one change',
      pass: appliedPerQuote.every((n) => n <= 1) && appliedPerQuote.length === paid.length * OPERATIONS.length,
      detail: `${appliedPerQuote.length} quotes, each changed on two instances at once: ${applied} applied, ${appliedPerQuote.filter((n) => n > 1).length} applied twice, ${appliedPerQuote.filter((n) => n === 0).length} not applied`,
    },
    {
      name: 'Stripe charges equal the applied changes, per customer',
      pass: chargeMismatch.length === 0,
      detail: `${paid.length} customers; new charges in the emulator ${sumDelta(chargesBefore, chargesAfter)} for ${applied} applied changes; ${chargeMismatch.length} customers differ`,
    },
    {
      name: 'each webhook event stored and applied once',
      pass:
        hooks?.stored === eventIds.length &&
        hooks.not_once === 0 &&
        hooks.unfinished === 0 &&
        sent.accepted === deliveries.length &&
        sent.duplicates === duplicatesSent &&
        drained.final === eventIds.length,
      detail: `${eventIds.length} events + ${duplicatesSent} second deliveries to another instance: ${sent.accepted} accepted, ${sent.duplicates} answered duplicate; ${hooks?.stored} stored, ${hooks?.not_once} claimed other than once, ${hooks?.unfinished} unfinished`,
    },
    {
      name: 'every other request answered 2xx (a racing second change: 409)',
      pass: refusedKinds.length === 0,
      detail: [...statuses].map(([key, n]) => `${key}: ${n}`).join(', '),
    },
  ];
  // Each paid account's task makes a quote and two changes per operation.
  const requests = tasks.length - paid.length + paid.length * OPERATIONS.length * 3 + deliveries.length;
  return { checks, seconds, requests };
}

async function chargesOf(cluster: Cluster, paid: Array<{ customerId: string }>): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const { customerId } of paid) {
    let n = 0;
    for await (const _charge of cluster.stripe.charges.list({ customer: customerId, limit: 100 })) n += 1;
    counts.set(customerId, n);
  }
  return counts;
}

function sumDelta(before: Map<string, number>, after: Map<string, number>): number {
  let total = 0;
  for (const [key, n] of after) total += n - (before.get(key) ?? 0);
  return total;
}
