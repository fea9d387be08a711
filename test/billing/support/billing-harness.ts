import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import request from 'supertest';
import { buildApp } from '../../../src/app';
import type { BillingModule } from '../../../src/billing/billing.module';
import { mirrorSubscription } from '../../../src/billing/mirror-subscription';
import { CatalogVersionRepository } from '../../../src/catalog/catalog-version.repository';
import type { LoadedCatalog } from '../../../src/catalog/load-catalog';
import { syncCatalog } from '../../../src/catalog/sync/sync-catalog';
import { buildServices, type Services } from '../../../src/composition';
import { startStripeEmulator, type StripeEmulator } from '@tierlift/stripe-emulator';
import { createMetrics } from '../../../src/ops/metrics';
import { databaseCheck, Readiness } from '../../../src/ops/readiness';
import { createLogger } from '../../../src/shared/logger';
import { createStripeClient, type Stripe, type StripeClient } from '../../../src/stripe/stripe-client';
import { priceCodeResolver } from '../../../src/webhooks/price-codes';
import { demoCatalog } from '../../catalog/support/demo-catalog';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { testConfig } from '../../support/test-config';
import { bearer, userToken, type Role } from '../../support/tokens';
import { createExpressServer } from '../../../src/shared/http/express-server';

export const DAY = 86_400;
/** 1 April 2026 00:00 UTC: subscriptions start here; "mid-period" is 16 April. */
export const START = Date.UTC(2026, 3, 1) / 1000;
export const MIDDLE = START + 15 * DAY;

export interface BillingHarness {
  app: Express;
  services: Services;
  billing: BillingModule;
  stripe: StripeClient;
  emulator: StripeEmulator;
  db: TestDatabase;
  close(): Promise<void>;
}

/**
 * The real app on a private schema, the Stripe emulator, and the demo catalog synced into it.
 * With `webhooks: true` the app also listens on a port the emulator delivers every event to
 * (signed with the endpoint's own secret), and the webhook worker runs.
 */
export async function startBillingHarness(
  options: { webhooks?: boolean; catalog?: LoadedCatalog; clock?: { now(): Date } } = {},
): Promise<BillingHarness> {
  const emulator = await startStripeEmulator({ port: 0 });
  // NOTE: no SDK retries, so each injected fault reaches the code under test exactly as armed.
  const stripe = createStripeClient({
    secretKey: emulator.secretKey,
    emulator: { host: emulator.host, port: emulator.port },
    maxNetworkRetries: 0,
  });
  const db = await createTestDatabase();
  const receiver = options.webhooks ? await webhookReceiver(stripe) : undefined;
  const config = testConfig(receiver ? { STRIPE_WEBHOOK_SECRET: receiver.secret } : {});
  const logger = createLogger({
    level: process.env.TEST_LOG_LEVEL ?? 'error',
    format: 'json',
    silent: !process.env.TEST_LOG_LEVEL,
  });
  const loaded = options.catalog ?? demoCatalog();
  await syncCatalog({
    loaded,
    stripe,
    versions: new CatalogVersionRepository(db.dataSource),
    actor: 'test',
    dryRun: false,
  });
  const services = buildServices({
    config,
    logger,
    dataSource: db.dataSource,
    stripe,
    loadedCatalog: loaded,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const app = buildApp({
    config,
    logger,
    metrics: createMetrics(),
    readiness: new Readiness([databaseCheck(db.dataSource)]),
    services,
  });
  if (!services.billing) throw new Error('billing module not built');
  if (receiver) {
    receiver.attach(app);
    await services.webhooks.startWorker();
  }
  return {
    app,
    services,
    billing: services.billing,
    stripe,
    emulator,
    db,
    close: async () => {
      if (receiver) {
        await services.webhooks.stopWorker();
        await receiver.close();
      }
      await emulator.close();
      if (receiver) await db.dataSource.query(`DROP SCHEMA IF EXISTS "pgboss_${db.schema}" CASCADE`);
      await db.drop();
    },
  };
}

/** An HTTP listener registered as the emulator's webhook endpoint; 503 until the app is attached. */
async function webhookReceiver(stripe: StripeClient) {
  const { server, serve } = createExpressServer((_req, res) => res.writeHead(503).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/stripe`;
  const endpoint = await stripe.webhookEndpoints.create({ url, enabled_events: ['*'] });
  return {
    secret: endpoint.secret ?? '',
    attach: (app: Express) => serve(app),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface PaidAccount {
  accountId: string;
  customerId: string;
  clockId: string;
  subscription: Stripe.Subscription;
  auth: (role?: Role) => string;
}

const COUNTRY_OF: Record<string, string> = { usd: 'US', jpy: 'JP', kwd: 'KW', eur: 'DE' };

async function priceId(stripe: StripeClient, lookupKey: string): Promise<string> {
  const { data } = await stripe.prices.list({ lookup_keys: [lookupKey] });
  const price = data[0];
  if (!price) throw new Error(`no price ${lookupKey}`);
  return price.id;
}

/** An account on a test clock with a card and a paid subscription, mirrored, advanced to mid-period. */
export async function paidAccount(
  h: BillingHarness,
  input: { currency?: string; plan?: string; interval?: 'month' | 'year'; card?: string; advanceTo?: number } = {},
): Promise<PaidAccount> {
  const currency = input.currency ?? 'usd';
  const { stripe } = h;
  const accountId = `acct_${crypto.randomBytes(6).toString('hex')}`;
  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: START });
  const customer = await stripe.customers.create({
    test_clock: clock.id,
    email: `${accountId}@example.com`,
    metadata: { tierlift_account_id: accountId },
  });
  const paymentMethod = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
  await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: paymentMethod.id } });
  await h.db.dataSource.query(
    `INSERT INTO accounts (id, name, email, country, locale, signed_up_at, stripe_customer_id)
     VALUES ($1, $2, $3, $4, 'en', now(), $5)`,
    [accountId, 'Acme', `${accountId}@example.com`, COUNTRY_OF[currency] ?? 'US', customer.id],
  );
  const price = await priceId(stripe, `tierlift_plan_${input.plan ?? 'pro'}_${input.interval ?? 'month'}`);
  const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price }], currency });
  if (input.card) await useCard(h, customer.id, input.card);
  await advanceClock(h, clock.id, input.advanceTo ?? MIDDLE);
  await mirror(h, subscription.id);
  return {
    accountId,
    customerId: customer.id,
    clockId: clock.id,
    subscription,
    auth: (role: Role = 'owner') => bearer(userToken(accountId, role)),
  };
}

/** A free account (no Stripe customer yet). */
export async function freeAccount(h: BillingHarness, country = 'US'): Promise<{ accountId: string; auth: string }> {
  const accountId = `acct_${crypto.randomBytes(6).toString('hex')}`;
  await h.db.dataSource.query(
    `INSERT INTO accounts (id, name, email, country, locale, signed_up_at) VALUES ($1, 'Free Co', $2, $3, 'en', now())`,
    [accountId, `${accountId}@example.com`, country],
  );
  return { accountId, auth: bearer(userToken(accountId, 'owner')) };
}

export async function useCard(h: BillingHarness, customerId: string, card: string): Promise<void> {
  const paymentMethod = await h.stripe.paymentMethods.attach(card, { customer: customerId });
  await h.stripe.customers.update(customerId, { invoice_settings: { default_payment_method: paymentMethod.id } });
}

export async function advanceClock(h: BillingHarness, clockId: string, frozenTime: number): Promise<void> {
  await h.stripe.testHelpers.testClocks.advance(clockId, { frozen_time: frozenTime });
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if ((await h.stripe.testHelpers.testClocks.retrieve(clockId)).status === 'ready') return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`test clock ${clockId} never became ready`);
}

/** What the webhooks would do: make the mirror equal Stripe's subscription. */
export async function mirror(h: BillingHarness, subscriptionId: string): Promise<void> {
  const catalog = h.services.catalog;
  await mirrorSubscription(
    {
      dataSource: h.db.dataSource,
      stripe: h.stripe,
      resolvePrice: priceCodeResolver({
        planCodes: catalog.plans.map((plan) => plan.code),
        addOnCodes: catalog.add_ons.map((addOn) => addOn.code),
      }),
    },
    subscriptionId,
  );
}

export async function mirroredPlan(h: BillingHarness, accountId: string): Promise<{ plan: string; interval: string }> {
  const rows: Array<{ plan_code: string; interval: string }> = await h.db.dataSource.query(
    `SELECT plan_code, interval FROM subscriptions WHERE account_id = $1 AND status IN ('active', 'trialing', 'past_due')`,
    [accountId],
  );
  return { plan: rows[0]?.plan_code ?? 'none', interval: rows[0]?.interval ?? 'none' };
}

export async function quote(h: BillingHarness, auth: string, body: object) {
  return request(h.app).post('/v1/quotes').set('Authorization', auth).send(body);
}

export async function change(h: BillingHarness, auth: string, quoteId: string, key = crypto.randomUUID()) {
  return request(h.app)
    .post('/v1/changes')
    .set('Authorization', auth)
    .set('Idempotency-Key', key)
    .send({ quote_id: quoteId });
}

/** Stripe writes (non-GET requests) logged by the emulator since `since` (ms). */
export async function stripeWrites(h: BillingHarness, filter: (path: string) => boolean = () => true) {
  const log = await h.emulator.control.requestLog();
  return log.filter((entry) => entry.method !== 'GET' && filter(entry.path));
}

export async function paidCharges(h: BillingHarness, customerId: string): Promise<Stripe.Charge[]> {
  const { data } = await h.stripe.charges.list({ customer: customerId, limit: 100 });
  return data.filter((charge) => charge.paid && charge.status === 'succeeded');
}

/** Pays an emulator-hosted Checkout page with a test card, as the customer's browser would. */
export const payCheckout = (url: string, card: string) =>
  fetch(`${url}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `card=${card}`,
    redirect: 'manual',
  });
