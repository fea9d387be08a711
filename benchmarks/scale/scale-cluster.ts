import { fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { startStripeEmulator } from '@tierlift/stripe-emulator';
import { mirrorSubscription } from '../../src/billing/mirror-subscription';
import { CatalogVersionRepository } from '../../src/catalog/catalog-version.repository';
import { loadCatalog } from '../../src/catalog/load-catalog';
import { syncCatalog } from '../../src/catalog/sync/sync-catalog';
import { createStripeClient, type StripeClient } from '../../src/stripe/stripe-client';
import { priceCodeResolver } from '../../src/webhooks/price-codes';
import { startDatabase } from '../prompts/prompts-environment';
import { openBenchSchema } from '../shared/bench-app';

const CATALOG_FILE = path.resolve(__dirname, '../../catalog/demo.catalog.yaml');
/** Subscriptions start on 1 April 2026 and are changed mid-period (16 April), on test clocks. */
const START = Date.UTC(2026, 3, 1) / 1000;
const MIDDLE = START + 15 * 86_400;

export interface Instance {
  url: string;
  stats(): Promise<{ cpuMs: number; queries: number; transactions: number }>;
  /** Stops (pause) or restarts (resume) the instance's webhook and event workers and billing janitor. */
  workers(state: 'pause' | 'resume'): Promise<void>;
  stop(): Promise<void>;
}

export interface Cluster {
  databaseUrl: string;
  dataSource: DataSource;
  stripe: StripeClient;
  webhookSecret: string;
  instances: Instance[];
  /** An account on a test clock with a card and Pro monthly, mid-period and mirrored; returns ids. */
  paidAccount(): Promise<{ accountId: string; customerId: string }>;
  close(): Promise<void>;
}

function startInstance(env: Record<string, string>): Promise<Instance> {
  const child: ChildProcess = fork(path.join(__dirname, 'scale-instance.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ask = <T>(type: string): Promise<T> =>
    new Promise((resolve) => {
      const listener = (message: { type: string } & T) => {
        if (message.type !== type) return;
        child.off('message', listener);
        resolve(message);
      };
      child.on('message', listener);
      child.send({ type });
    });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`an instance exited with ${code} before it was ready`)));
    child.once('message', (message: { type: string; url: string }) => {
      child.removeAllListeners('exit');
      resolve({
        url: message.url,
        stats: () => ask<{ cpuMs: number; queries: number; transactions: number }>('stats'),
        workers: async (state) => void (await ask(state)),
        stop: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.send({ type: 'stop' });
            setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
          }),
      });
    });
  });
}

/** One PostgreSQL, one Stripe emulator over HTTP with the demo catalog, `count` instances of the service. */
export async function startCluster(options: { count: number; poolSize: number }): Promise<Cluster> {
  const database = await startDatabase();
  const emulator = await startStripeEmulator({ port: 0 });
  const stripe = createStripeClient({
    secretKey: emulator.secretKey,
    emulator: { host: emulator.host, port: emulator.port },
  });
  const schema = `bench_scale_${Date.now()}`;
  const { dataSource, drop } = await openBenchSchema({ databaseUrl: database.url, schema, poolSize: 10 });
  const loaded = loadCatalog(CATALOG_FILE);
  await syncCatalog({
    loaded,
    stripe,
    versions: new CatalogVersionRepository(dataSource),
    actor: 'bench',
    dryRun: false,
  });
  const webhookSecret = `whsec_${crypto.randomBytes(24).toString('hex')}`;
  const instances: Instance[] = [];
  for (let i = 0; i < options.count; i += 1)
    instances.push(
      await startInstance({
        SCALE_DATABASE_URL: database.url,
        SCALE_SCHEMA: schema,
        SCALE_EMULATOR: `${emulator.host}:${emulator.port}`,
        SCALE_STRIPE_KEY: emulator.secretKey,
        SCALE_WEBHOOK_SECRET: webhookSecret,
        DB_POOL_SIZE: String(options.poolSize),
      }),
    );
  const resolvePrice = priceCodeResolver({
    planCodes: loaded.catalog.plans.map((plan) => plan.code),
    addOnCodes: loaded.catalog.add_ons.map((addOn) => addOn.code),
  });
  const proMonthly = (await stripe.prices.list({ lookup_keys: ['tierlift_plan_pro_month'] })).data[0];
  if (!proMonthly) throw new Error('the demo catalog has no tierlift_plan_pro_month price');

  const paidAccount = async () => {
    const accountId = `acct_${crypto.randomBytes(6).toString('hex')}`;
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: START });
    const customer = await stripe.customers.create({
      test_clock: clock.id,
      email: `${accountId}@example.com`,
      metadata: { tierlift_account_id: accountId },
    });
    const card = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: card.id } });
    await dataSource.query(
      `INSERT INTO accounts (id, name, email, country, locale, industry, signed_up_at, stripe_customer_id)
       VALUES ($1, 'Bench Co', $2, 'US', 'en', 'agency', now(), $3)`,
      [accountId, `${accountId}@example.com`, customer.id],
    );
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: proMonthly.id }],
      currency: 'usd',
    });
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: MIDDLE });
    for (let attempt = 0; ; attempt += 1) {
      if ((await stripe.testHelpers.testClocks.retrieve(clock.id)).status === 'ready') break;
      if (attempt > 200) throw new Error(`test clock ${clock.id} never became ready`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await mirrorSubscription({ dataSource, stripe, resolvePrice }, subscription.id);
    return { accountId, customerId: customer.id };
  };

  return {
    databaseUrl: database.url,
    dataSource,
    stripe,
    webhookSecret,
    instances,
    paidAccount,
    close: async () => {
      await Promise.all(instances.map((instance) => instance.stop()));
      await emulator.close();
      // The instances' pg-boss schema first: drop() also closes this pool.
      await dataSource.query(`DROP SCHEMA IF EXISTS "pgboss_${schema}" CASCADE`);
      await drop();
      await database.stop();
    },
  };
}

/** Accounts with a third on Pro and projects levels 0–29 (many near a limit, so prompts are decided). */
export async function seedAccounts(dataSource: DataSource, count: number): Promise<string[]> {
  await dataSource.query(
    `INSERT INTO accounts (id, name, email, country, locale, industry, company_size, signed_up_at)
     SELECT 'b_' || n, 'Bench ' || n, 'b' || n || '@example.test',
            (ARRAY['US','DE','JP','BR'])[n % 4 + 1], (ARRAY['en-US','de-DE','ja-JP','es-BR'])[n % 4 + 1],
            'agency', '11-50', now() - (n % 400) * interval '1 day'
     FROM generate_series(1, $1) AS n`,
    [count],
  );
  await dataSource.query(
    `INSERT INTO subscriptions (id, account_id, status, plan_code, interval, currency, billing_cycle_anchor,
                                current_period_start, current_period_end, items, stripe_created_at)
     SELECT 'sub_b_' || n, 'b_' || n, 'active', 'pro', 'month', 'usd', now() - interval '10 days',
            now() - interval '10 days', now() + interval '20 days', '[]'::jsonb, now() - interval '40 days'
     FROM generate_series(1, $1) AS n WHERE n % 3 = 0`,
    [count],
  );
  await dataSource.query(
    `INSERT INTO usage_gauges (account_id, feature, value, observed_at, event_id)
     SELECT 'b_' || n, 'projects', n % 30, now(), 'seed_' || n FROM generate_series(1, $1) AS n`,
    [count],
  );
  await dataSource.query('ANALYZE');
  return Array.from({ length: count }, (_, i) => `b_${i + 1}`);
}
