import { fork } from 'node:child_process';
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { Stripe, STRIPE_API_VERSION } from '../../src/stripe/stripe-client';

/** One signed delivery; `to` picks the instance (index into the sender's urls). */
export interface Delivery {
  body: string;
  signature: string;
  to?: number;
}

export interface SendResult {
  seconds: number;
  accepted: number;
  duplicates: number;
  failures: Record<string, number>;
}

const TYPES = ['payment_intent.succeeded', 'checkout.session.expired', 'customer.created'] as const;

/** A Stripe event as Stripe sends it (envelope and a small object), with ids unique to this run. */
export function stripeEvent(type: string, index: number, run: string): { id: string; body: string } {
  const id = `evt_${run}${String(index).padStart(8, '0')}`;
  const suffix = `${run}${index}`;
  const object =
    type === 'payment_intent.succeeded'
      ? {
          id: `pi_${suffix}`,
          object: 'payment_intent',
          amount: 2900,
          currency: 'usd',
          status: 'succeeded',
          metadata: {},
        }
      : type === 'checkout.session.expired'
        ? { id: `cs_${suffix}`, object: 'checkout.session', status: 'expired', mode: 'subscription', metadata: {} }
        : { id: `cus_${suffix}`, object: 'customer', email: `c${suffix}@example.com`, metadata: {} };
  const event = {
    id,
    object: 'event',
    api_version: STRIPE_API_VERSION,
    created: Math.floor(Date.now() / 1000),
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: `req_${suffix}`, idempotency_key: null },
    type,
  };
  return { id, body: JSON.stringify(event) };
}

/** Signs a body exactly as the stripe SDK's own helper does (what constructEvent verifies). */
export const sign = (body: string, secret: string): string =>
  Stripe.webhooks.generateTestHeaderString({ payload: body, secret });

/**
 * `count` distinct events, each signed; a `duplicateShare` of them delivered a second time
 * (Stripe's retry), shuffled in among the rest.
 */
export function signedEvents(options: { count: number; secret: string; duplicateShare: number }): {
  deliveries: Delivery[];
  distinct: string[];
  /** Every id of this run starts with it. */
  idPrefix: string;
} {
  const run = crypto.randomBytes(4).toString('hex');
  const deliveries: Delivery[] = [];
  const distinct: string[] = [];
  for (let i = 0; i < options.count; i += 1) {
    const { id, body } = stripeEvent(TYPES[i % TYPES.length] as string, i, run);
    distinct.push(id);
    deliveries.push({ body, signature: sign(body, options.secret) });
  }
  const repeats = Math.round(options.count * options.duplicateShare);
  for (let i = 0; i < repeats; i += 1)
    deliveries.push({ ...(deliveries[i * Math.floor(1 / options.duplicateShare)] as Delivery) });
  for (let i = deliveries.length - 1; i > 0; i -= 1) {
    const j = crypto.randomInt(i + 1);
    [deliveries[i], deliveries[j]] = [deliveries[j] as Delivery, deliveries[i] as Delivery];
  }
  return { deliveries, distinct, idPrefix: `evt_${run}` };
}

/** Sends the deliveries from a child process (send-worker.js), `senders` requests in flight. */
export function sendDeliveries(work: { urls: string[]; deliveries: Delivery[]; senders: number }): Promise<SendResult> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'send-worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (message: SendResult & { error?: string }) => {
      if (message.error) reject(new Error(message.error));
      else resolve(message);
    });
    child.once('error', reject);
    child.send(work);
  });
}

/** Waits until `expected` stored events are final (processed or ignored); returns what it saw. */
export async function waitUntilDrained(
  dataSource: DataSource,
  run: { idPrefix: string; expected: number },
  timeoutMs: number,
): Promise<{ final: number; byStatus: string }> {
  const { idPrefix, expected } = run;
  const until = Date.now() + timeoutMs;
  for (;;) {
    const rows = (await dataSource.query(
      `SELECT status, count(*)::int AS n FROM webhook_events WHERE id LIKE $1 || '%' GROUP BY status ORDER BY status`,
      [idPrefix],
    )) as Array<{ status: string; n: number }>;
    const final = rows.filter((r) => r.status === 'processed' || r.status === 'ignored').reduce((s, r) => s + r.n, 0);
    const pending = rows
      .filter((r) => r.status === 'received' || r.status === 'processing')
      .reduce((s, r) => s + r.n, 0);
    if ((pending === 0 && final >= expected) || Date.now() > until)
      return { final: Math.min(final, expected), byStatus: rows.map((r) => `${r.status} ${r.n}`).join(', ') };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Counts every query this process sends through `pg` (TypeORM, the app's pools, pg-boss). */
export function countQueries(): { readonly count: number } {
  const counter = { count: 0 };
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function countedQuery(this: unknown, ...args: unknown[]) {
    counter.count += 1;
    return original.apply(this, args);
  };
  return counter;
}

/** This process's CPU time (user + system) in ms. */
export const appCpuMs = (): number => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};

export const loadLine = (): string =>
  `${os.cpus().length} CPUs, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;
