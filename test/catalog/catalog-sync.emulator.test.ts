import request from 'supertest';
import { startStripeEmulator } from '@tierlift/stripe-emulator';
import { CatalogVersionRepository } from '../../src/catalog/catalog-version.repository';
import { loadCatalogSource, type LoadedCatalog } from '../../src/catalog/load-catalog';
import { desiredStripeCatalog } from '../../src/catalog/sync/desired-stripe-catalog';
import { syncCatalog, syncCatalogSource } from '../../src/catalog/sync/sync-catalog';
import { AppError } from '../../src/shared/errors';
import { createStripeClient, type StripeClient } from '../../src/stripe/stripe-client';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { adminAuth } from '../support/tokens';
import { createCatalogTestApp } from './support/catalog-test-app';
import { demoCatalog, demoSource } from './support/demo-catalog';

type Emulator = Awaited<ReturnType<typeof startStripeEmulator>>;

let emulator: Emulator;
let stripe: StripeClient;
let db: TestDatabase;

beforeAll(async () => {
  emulator = await startStripeEmulator({ port: 0 });
  stripe = createStripeClient({
    secretKey: emulator.secretKey,
    emulator: { host: emulator.host, port: emulator.port },
    maxNetworkRetries: 0,
  });
  db = await createTestDatabase();
});
afterAll(async () => {
  await emulator?.close();
  await db?.drop();
});
beforeEach(async () => {
  await emulator.control.reset();
  await emulator.control.clearRequestLog();
});

const writes = async () => (await emulator.control.requestLog()).filter((entry) => entry.method !== 'GET');

/** The demo catalog with one amount changed: Pro monthly in USD. */
function withProMonthlyUsd(amount: number): LoadedCatalog {
  const source = demoSource();
  const catalogText = source.catalogText.replace('month: { usd: 1900,', `month: { usd: ${amount},`);
  const result = loadCatalogSource({ ...source, catalogText });
  if (!result.ok) throw new Error(`invalid: ${JSON.stringify(result.problems)}`);
  return result.loaded;
}

async function priceByLookupKey(lookupKey: string) {
  const { data } = await stripe.prices.list({ lookup_keys: [lookupKey], expand: ['data.currency_options'] });
  return data[0];
}

describe('catalog sync against the Stripe emulator', () => {
  it('creates every product and price from empty, and the immediate second run writes nothing', async () => {
    const loaded = demoCatalog();
    const versions = new CatalogVersionRepository(db.dataSource);
    const desired = desiredStripeCatalog(loaded.catalog, loaded.messages.en ?? {});

    const first = await syncCatalog({ loaded, stripe, versions, actor: 'test', dryRun: false });
    expect(first.written).toBe(desired.products.length + desired.prices.length + desired.coupons.length);

    const products = await stripe.products.list({ limit: 100 });
    expect(products.data.map((p) => p.id).sort()).toEqual(desired.products.map((p) => p.id).sort());
    for (const wanted of desired.prices) {
      const price = await priceByLookupKey(wanted.lookup_key);
      expect(price).toMatchObject({
        active: true,
        product: wanted.product,
        currency: 'usd',
        unit_amount: wanted.unit_amount,
      });
      for (const [currency, amount] of Object.entries(wanted.currency_options)) {
        expect(price?.currency_options?.[currency]?.unit_amount).toBe(amount);
      }
    }
    const proMonthly = await priceByLookupKey('tierlift_plan_pro_month');
    expect(proMonthly?.currency_options?.jpy?.unit_amount).toBe(2800);
    expect(proMonthly?.currency_options?.kwd?.unit_amount).toBe(6000);
    const coupons = await stripe.coupons.list({ limit: 100 });
    expect(coupons.data.map((c) => c.id).sort()).toEqual(desired.coupons.map((c) => c.id).sort());
    expect((await versions.live())?.version).toBe(loaded.version);

    await emulator.control.clearRequestLog();
    const second = await syncCatalog({ loaded, stripe, versions, actor: 'test', dryRun: false });
    expect(second.operations).toEqual([]);
    expect(second.written).toBe(0);
    expect(await writes()).toEqual([]);
  });

  it('sends every write with an idempotency key derived from the catalog version', async () => {
    const loaded = demoCatalog();
    await syncCatalog({ loaded, stripe, actor: 'test', dryRun: false });
    const keys = (await writes()).map((entry) => entry.idempotencyKey);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key).toMatch(new RegExp(`^tierlift-catalog-${loaded.version.slice(0, 16)}-`));
  });

  it('a dry run shows the diff and writes nothing', async () => {
    const result = await syncCatalog({ loaded: demoCatalog(), stripe, actor: 'test', dryRun: true });
    expect(result.operations.length).toBeGreaterThan(0);
    expect(result.lines).toContain('+ product tierlift_plan_pro "Pro"');
    expect(await writes()).toEqual([]);
  });

  it('a changed amount makes a new price with the lookup key, archives the old one, and old subscribers renew at the old amount', async () => {
    const versions = new CatalogVersionRepository(db.dataSource);
    await syncCatalog({ loaded: demoCatalog(), stripe, versions, actor: 'test', dryRun: false });
    const oldPrice = await priceByLookupKey('tierlift_plan_pro_month');
    if (!oldPrice) throw new Error('no pro monthly price');

    const start = Math.floor(Date.now() / 1000);
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: start });
    const customer = await stripe.customers.create({
      test_clock: clock.id,
      email: 'grandfathered@example.test',
      payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: oldPrice.id }] });

    const changed = withProMonthlyUsd(2100);
    await emulator.control.clearRequestLog();
    const result = await syncCatalog({ loaded: changed, stripe, versions, actor: 'test', dryRun: false });
    expect(result.operations.map((o) => o.op)).toEqual(['create_price', 'archive_price']);
    const newPrice = await priceByLookupKey('tierlift_plan_pro_month');
    expect(newPrice?.id).not.toBe(oldPrice.id);
    expect(newPrice).toMatchObject({ unit_amount: 2100, active: true, lookup_key: 'tierlift_plan_pro_month' });
    expect(newPrice?.currency_options?.jpy?.unit_amount).toBe(2800);
    const archived = await stripe.prices.retrieve(oldPrice.id);
    expect(archived.active).toBe(false);
    expect(archived.lookup_key).toBeNull();
    const created = (await writes()).find((entry) => entry.path === '/v1/prices');
    expect(created?.params).toMatchObject({ transfer_lookup_key: 'true', lookup_key: 'tierlift_plan_pro_month' });
    expect((await versions.live())?.version).toBe(changed.version);

    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: start + 32 * 86400 });
    await waitForClock(clock.id);
    const invoices = await stripe.invoices.list({ customer: customer.id, limit: 10 });
    const renewal = invoices.data.find((invoice) => invoice.billing_reason === 'subscription_cycle');
    expect(renewal).toBeDefined();
    expect(renewal?.total).toBe(1900);
    const renewed = await stripe.subscriptions.retrieve(subscription.id);
    expect(renewed.items.data[0]?.price.id).toBe(oldPrice.id);
  });

  it('refuses an invalid catalog with every problem listed, before any request to Stripe', async () => {
    const source = demoSource();
    const catalogText = source.catalogText
      .replace('jpy: 2800,', 'jpy: 2800.5,')
      .replace('limits: { projects: 25,', 'limits: { widgets: 3, projects: 25,')
      .replace('kwd: 15000, inr: 129900,', 'inr: 129900,');
    const attempt = syncCatalogSource({ source: { ...source, catalogText }, stripe, actor: 'test', dryRun: false });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    const error = (await attempt.catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('catalog_invalid');
    const paths = (error.details?.problems as Array<{ path: string }>).map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining(['plans[1].prices.month.jpy', 'plans[1].limits.widgets', 'plans[2].prices.month']),
    );
    expect(await emulator.control.requestLog()).toEqual([]);
  });

  it('syncs over HTTP for operators and then reports no difference', async () => {
    const t = await createCatalogTestApp({ stripe });
    try {
      const dry = await request(t.app)
        .post('/admin/v1/catalog/sync')
        .set('Authorization', adminAuth)
        .send({ dry_run: true });
      expect(dry.status).toBe(200);
      expect(dry.body).toMatchObject({ object: 'catalog_sync', dryRun: true, written: 0 });
      expect(await writes()).toEqual([]);

      const synced = await request(t.app).post('/admin/v1/catalog/sync').set('Authorization', adminAuth).send({});
      expect(synced.status).toBe(200);
      expect(synced.body.written).toBeGreaterThan(0);

      const diff = await request(t.app).get('/admin/v1/catalog/diff').set('Authorization', adminAuth);
      expect(diff.body).toMatchObject({ object: 'catalog_diff', in_sync: true, operations: [] });
      const listed = await request(t.app).get('/admin/v1/catalog/versions').set('Authorization', adminAuth);
      expect(listed.body.data[0]).toMatchObject({ version: t.loaded.version, is_live: true, synced_by: 'admin-api' });
    } finally {
      await t.close();
    }
  });
});

async function waitForClock(id: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const clock = await stripe.testHelpers.testClocks.retrieve(id);
    if (clock.status === 'ready') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`test clock ${id} did not finish advancing`);
}
