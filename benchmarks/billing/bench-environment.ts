import crypto from 'node:crypto';
import path from 'node:path';
import { mirrorSubscription } from '../../src/billing/mirror-subscription';
import { CatalogVersionRepository } from '../../src/catalog/catalog-version.repository';
import { loadCatalog } from '../../src/catalog/load-catalog';
import { syncCatalog } from '../../src/catalog/sync/sync-catalog';
import { startStripeEmulator } from '@tierlift/stripe-emulator';
import { createStripeClient, Stripe, type StripeClient } from '../../src/stripe/stripe-client';
import { priceCodeResolver } from '../../src/webhooks/price-codes';
import { buildBenchApp, openBenchSchema, serveBenchApp } from '../shared/bench-app';
import { stripeTimer, timedHttpClient } from './request-timers';

/**
 * bench:changes' environment: PostgreSQL (a schema of its own), the in-process Stripe emulator with
 * the demo catalog synced into it, the real app on a loopback port (its Stripe client timed through
 * request-timers.ts), and paid accounts made through a Stripe client of the set-up's own.
 */
const CATALOG_FILE = path.resolve(__dirname, '../../catalog/demo.catalog.yaml');
/** 1 April 2026 00:00 UTC: subscriptions start here; the changes happen mid-period, 16 April. */
const START = Date.UTC(2026, 3, 1) / 1000;
const MIDDLE = START + 15 * 86_400;

export async function startEnvironment(databaseUrl: string, options: { poolSize: number }) {
  const emulator = await startStripeEmulator({ port: 0 });
  const emulatorTarget = { host: emulator.host, port: emulator.port };
  // NOTE: set-up (accounts, clocks, mirroring) speaks through a client of its own, so that any call
  // the app's client makes outside a measured request shows up as a stray call.
  const setupStripe = createStripeClient({ secretKey: emulator.secretKey, emulator: emulatorTarget });
  const appStripe: StripeClient = new Stripe(emulator.secretKey, {
    maxNetworkRetries: 2,
    timeout: 20000,
    appInfo: { name: 'tierlift', version: '0.1.0' },
    host: emulator.host,
    port: emulator.port,
    protocol: 'http',
    httpClient: timedHttpClient(stripeTimer),
  });
  const schema = `bench_changes_${Date.now()}`;
  const { dataSource, drop } = await openBenchSchema({ databaseUrl, schema, poolSize: options.poolSize });
  const loaded = loadCatalog(CATALOG_FILE);
  await syncCatalog({
    loaded,
    stripe: setupStripe,
    versions: new CatalogVersionRepository(dataSource),
    actor: 'bench',
    dryRun: false,
  });
  const { app, services } = buildBenchApp(databaseUrl, dataSource, {}, { stripe: appStripe, loadedCatalog: loaded });
  const { server, port } = await serveBenchApp(app);
  const { catalog } = services;
  const resolvePrice = priceCodeResolver({
    planCodes: catalog.plans.map((plan) => plan.code),
    addOnCodes: catalog.add_ons.map((addOn) => addOn.code),
  });
  const proMonthly = (await setupStripe.prices.list({ lookup_keys: ['tierlift_plan_pro_month'] })).data[0];
  if (!proMonthly) throw new Error('the demo catalog has no tierlift_plan_pro_month price');

  /** An account on a test clock with a card and Pro monthly, advanced to mid-period and mirrored. */
  const paidAccount = async (): Promise<string> => {
    const accountId = `acct_${crypto.randomBytes(6).toString('hex')}`;
    const clock = await setupStripe.testHelpers.testClocks.create({ frozen_time: START });
    const customer = await setupStripe.customers.create({
      test_clock: clock.id,
      email: `${accountId}@example.com`,
      metadata: { tierlift_account_id: accountId },
    });
    const card = await setupStripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await setupStripe.customers.update(customer.id, { invoice_settings: { default_payment_method: card.id } });
    await dataSource.query(
      `INSERT INTO accounts (id, name, email, country, locale, industry, signed_up_at, stripe_customer_id)
       VALUES ($1, 'Bench Co', $2, 'US', 'en', 'agency', now(), $3)`,
      [accountId, `${accountId}@example.com`, customer.id],
    );
    const subscription = await setupStripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: proMonthly.id }],
      currency: 'usd',
    });
    await setupStripe.testHelpers.testClocks.advance(clock.id, { frozen_time: MIDDLE });
    for (let attempt = 0; ; attempt += 1) {
      if ((await setupStripe.testHelpers.testClocks.retrieve(clock.id)).status === 'ready') break;
      if (attempt > 200) throw new Error(`test clock ${clock.id} never became ready`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await mirrorSubscription({ dataSource, stripe: setupStripe, resolvePrice }, subscription.id);
    return accountId;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    dataSource,
    paidAccount,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emulator.close();
      await drop();
    },
  };
}
