import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createStripeClient, type StripeClient } from '../../src/stripe/stripe-client';
import { spawnService, type SpawnedService } from '../support/spawn-service';
import { TEST_KEYS } from '../support/test-config';
import { bearer, userToken } from '../support/tokens';

// kill -9 in the middle of POST /v1/changes, a restart, and the client's retry with the same
// Idempotency-Key: issue #19, acceptance 5. The Stripe emulator runs inside the service (local
// mode) and keeps its state in DATA_DIR, as Stripe keeps its own across our crash.
const schema = `tt_${Date.now()}_${crypto.randomBytes(3).toString('hex')}`;
const env = {
  NODE_ENV: 'test',
  PORT: '0',
  HOST: '127.0.0.1',
  DATABASE_URL: process.env.DATABASE_URL ?? '',
  DATABASE_SCHEMA: schema,
  DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'tierlift-kill9-')),
  SERVER_API_KEY: TEST_KEYS.server,
  ADMIN_API_KEY: TEST_KEYS.admin,
  JWT_SECRET: TEST_KEYS.jwtSecret,
  JWT_AUDIENCE: TEST_KEYS.audience,
  JWT_ISSUER: TEST_KEYS.issuer,
  DEMO_DATA: 'off',
  LOG_LEVEL: 'info',
};
const START = Date.UTC(2026, 3, 1) / 1000;

let db: Client;
const services: SpawnedService[] = [];
beforeAll(async () => {
  db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
});
afterAll(async () => {
  for (const s of services) if (s.child.exitCode === null) s.child.kill('SIGKILL');
  await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await db.end();
  fs.rmSync(env.DATA_DIR, { recursive: true, force: true });
});

jest.setTimeout(300_000);

async function start(): Promise<{ service: SpawnedService; base: string; stripe: StripeClient; emulator: string }> {
  const service = spawnService(env);
  services.push(service);
  const port = Number((await service.waitForLog('listening', 120000)).port);
  const emulator = String(
    (await service.waitForLog('STRIPE_SECRET_KEY is not set: using the built-in Stripe emulator', 100)).url,
  );
  const url = new URL(emulator);
  const stripe = createStripeClient({
    secretKey: 'sk_test_tierlift_emulator',
    emulator: { host: url.hostname, port: Number(url.port) },
    maxNetworkRetries: 0,
  });
  return { service, base: `http://127.0.0.1:${port}`, stripe, emulator };
}

async function until<T>(what: string, attempt: () => Promise<T | undefined>, tries = 600): Promise<T> {
  for (let i = 0; i < tries; i += 1) {
    const value = await attempt();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`never: ${what}`);
}

const call = async (base: string, method: string, route: string, auth: string, body?: object, key?: string) => {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: {
      Authorization: auth,
      'Content-Type': 'application/json',
      ...(key ? { 'Idempotency-Key': key } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { code?: string } } };
};

describe('kill -9 during a change, restart, retry with the same Idempotency-Key', () => {
  it('answers the original answer (applied, same operation_id) once the operation has finished', async () => {
    const first = await start();
    const { stripe } = first;
    // A paid Pro subscription, mid-period, mirrored by the service's own webhooks.
    const accountId = `acct_${crypto.randomBytes(6).toString('hex')}`;
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: START });
    const customer = await stripe.customers.create({
      test_clock: clock.id,
      email: `${accountId}@example.com`,
      metadata: { tierlift_account_id: accountId },
    });
    const card = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: card.id } });
    await db.query(
      `INSERT INTO "${schema}".accounts (id, name, email, country, locale, signed_up_at, stripe_customer_id)
       VALUES ($1, 'Acme', $2, 'US', 'en', now(), $3)`,
      [accountId, `${accountId}@example.com`, customer.id],
    );
    const [price] = (await stripe.prices.list({ lookup_keys: ['tierlift_plan_pro_month'] })).data;
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price!.id }] });
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: START + 15 * 86_400 });
    await until('the clock is ready', async () =>
      (await stripe.testHelpers.testClocks.retrieve(clock.id)).status === 'ready' ? true : undefined,
    );
    const owner = bearer(userToken(accountId, 'owner'));
    await until('the subscription is mirrored', async () => {
      const rows = await db.query(`SELECT 1 FROM "${schema}".subscriptions WHERE account_id = $1`, [accountId]);
      return rows.rowCount ? true : undefined;
    });
    const quoted = await call(first.base, 'POST', '/v1/quotes', owner, { plan: 'premium' });
    expect(quoted.status).toBe(201);

    // Stripe holds the subscription update for a minute: the process dies while waiting for it.
    await fetch(`${first.emulator}/_emulator/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        method: 'POST',
        path: `/v1/subscriptions/${subscription.id}`,
        kind: 'delay',
        delayMs: 60_000,
      }),
    });
    const key = crypto.randomUUID();
    const cut = call(first.base, 'POST', '/v1/changes', owner, { quote_id: quoted.body.id }, key).catch(
      (error: unknown) => error,
    );
    const operationId = await until('the operation is sent to Stripe', async () => {
      const rows = await db.query(
        `SELECT id FROM "${schema}".billing_operations WHERE account_id = $1 AND state = 'sent'`,
        [accountId],
      );
      return (rows.rows[0] as { id: string } | undefined)?.id;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    first.service.child.kill('SIGKILL');
    await first.service.waitForExit(10000);
    expect(String(await cut)).toContain('fetch failed'); // the client never got an answer

    const second = await start();
    const seen: string[] = [];
    const answer = await until(
      'an answer that is not "in progress"',
      async () => {
        const res = await call(second.base, 'POST', '/v1/changes', owner, { quote_id: quoted.body.id }, key);
        if (res.status !== 409) return res;
        seen.push(String(res.body.error?.code));
        return undefined;
      },
      // the operation's lease (60 s) lapses, then the retry or the janitor rolls it forward
      400,
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ object: 'change', status: 'applied', operation_id: operationId });
    for (const code of new Set(seen)) expect(['idempotency_in_progress', 'change_in_progress']).toContain(code);
    const replay = await call(second.base, 'POST', '/v1/changes', owner, { quote_id: quoted.body.id }, key);
    expect(replay).toEqual(answer);
    const live = await second.stripe.subscriptions.retrieve(subscription.id);
    expect(live.items.data.map((item) => item.price.lookup_key)).toEqual(['tierlift_plan_premium_month']);

    second.service.child.kill('SIGTERM');
    await second.service.waitForExit(20000);
  });
});
