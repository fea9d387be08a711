import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestDatabase } from '../support/test-database';
import { FakeStripe, subscriptionObject } from './support/fake-stripe';
import {
  countRows,
  createWebhookDatabase,
  dropQueueSchema,
  eventually,
  eventPayload,
  signature,
  startInstance,
  type WebhookInstance,
} from './support/webhook-harness';

const EVENTS = 500;

async function listen(instance: WebhookInstance): Promise<{ url: string; server: http.Server }> {
  const server = http.createServer(instance.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function post(url: string, body: string): Promise<number> {
  const res = await fetch(`${url}/webhooks/stripe`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Stripe-Signature': signature(body) },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}

describe('two service instances on one database', () => {
  let db: TestDatabase;
  const stripe = new FakeStripe();
  let a: WebhookInstance;
  let b: WebhookInstance;
  const servers: http.Server[] = [];

  beforeAll(async () => {
    db = await createWebhookDatabase();
    a = await startInstance(db, stripe, { batchSize: 8 });
    b = await startInstance(db, stripe, { batchSize: 8 });
    await Promise.all([a.webhooks.startWorker(), b.webhooks.startWorker()]);
  });
  afterAll(async () => {
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
    await a.close();
    await b.close();
    await dropQueueSchema(db);
    await db.drop();
  });

  it('applies every effect of a 500-event burst exactly once, each event delivered to both instances', async () => {
    const values = Array.from(
      { length: EVENTS },
      (_, i) => `($1 || '${i}', 'n', 'n@example.test', 'US', 'en', now(), 'cus_burst_${i}')`,
    );
    await db.dataSource.query(
      `INSERT INTO accounts (id, name, email, country, locale, signed_up_at, stripe_customer_id) VALUES ${values.join(', ')}`,
      ['acct_burst_'],
    );
    const events = Array.from({ length: EVENTS }, (_, i) => {
      const id = `sub_burst_${i}`;
      stripe.subscriptions.set(
        id,
        subscriptionObject({ id, customer: `cus_burst_${i}`, plan: i % 2 ? 'pro' : 'premium' }),
      );
      return eventPayload('customer.subscription.created', { id, object: 'subscription' });
    });
    const [urlA, urlB] = await Promise.all([listen(a), listen(b)]);
    servers.push(urlA.server, urlB.server);

    const statuses: number[] = [];
    for (let i = 0; i < events.length; i += 50) {
      const chunk = events.slice(i, i + 50);
      statuses.push(...(await Promise.all(chunk.flatMap((e) => [post(urlA.url, e.body), post(urlB.url, e.body)]))));
    }
    expect(statuses.every((s) => s === 200)).toBe(true);

    await eventually(
      async () =>
        (await countRows(db.dataSource, "SELECT count(*) AS n FROM webhook_events WHERE status = 'processed'")) ===
        EVENTS,
      90000,
      'all 500 events to be processed',
    );
    await new Promise((resolve) => setTimeout(resolve, 1500)); // any duplicate job would run by now

    expect(await countRows(db.dataSource, 'SELECT count(*) AS n FROM webhook_events')).toBe(EVENTS);
    expect(await countRows(db.dataSource, 'SELECT count(*) AS n FROM webhook_effects')).toBe(EVENTS);
    expect(await countRows(db.dataSource, 'SELECT count(*) AS n FROM subscriptions')).toBe(EVENTS);
    const hookCalls = [...a.effects, ...b.effects].map((e) => e.eventId);
    expect(hookCalls).toHaveLength(EVENTS);
    expect(new Set(hookCalls)).toEqual(new Set(events.map((e) => e.id)));
    // Both instances did part of the work.
    expect(a.effects.length).toBeGreaterThan(0);
    expect(b.effects.length).toBeGreaterThan(0);
  }, 120000);
});
