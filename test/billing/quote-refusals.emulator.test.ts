import request from 'supertest';
import { CatalogVersionRepository } from '../../src/catalog/catalog-version.repository';
import { loadCatalogSource } from '../../src/catalog/load-catalog';
import { syncCatalog } from '../../src/catalog/sync/sync-catalog';
import { demoSource } from '../catalog/support/demo-catalog';
import {
  change,
  freeAccount,
  paidAccount,
  quote,
  startBillingHarness,
  stripeWrites,
  type BillingHarness,
} from './support/billing-harness';

let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness();
});
afterAll(async () => h?.close());
afterEach(() => {
  h.services.clock.now = () => new Date();
});

async function quotedUpgrade() {
  const account = await paidAccount(h);
  const quoted = await quote(h, account.auth(), { plan: 'premium' });
  expect(quoted.status).toBe(201);
  await h.emulator.control.clearRequestLog();
  return { account, quoteId: quoted.body.id as string };
}

describe('acceptance 6: refusals before anything reaches Stripe', () => {
  it('refuses an expired quote with 409 quote_expired', async () => {
    const { account, quoteId } = await quotedUpgrade();
    h.services.clock.now = () => new Date(Date.now() + 31 * 60 * 1000);
    const response = await change(h, account.auth(), quoteId);
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('quote_expired');
    expect(await stripeWrites(h)).toEqual([]);
  });

  it("answers 404 for another account's quote", async () => {
    const { quoteId } = await quotedUpgrade();
    const other = await freeAccount(h);
    const response = await change(h, other.auth, quoteId);
    expect(response.status).toBe(404);
    expect(await h.emulator.control.requestLog()).toEqual([]);
  });

  it("refuses a member's token with 403, though members may quote", async () => {
    const { account, quoteId } = await quotedUpgrade();
    const memberQuote = await quote(h, account.auth('member'), { plan: 'premium' });
    expect(memberQuote.status).toBe(201);
    await h.emulator.control.clearRequestLog();
    const response = await change(h, account.auth('member'), quoteId);
    expect(response.status).toBe(403);
    expect(response.body.error.type).toBe('permission_error');
    expect(await h.emulator.control.requestLog()).toEqual([]);
  });

  it('refuses a quote made stale by a catalog change with 409 quote_stale', async () => {
    const { account, quoteId } = await quotedUpgrade();
    const source = demoSource();
    const catalogText = source.catalogText.replace('month: { usd: 4900,', 'month: { usd: 5900,');
    const load = loadCatalogSource({ ...source, catalogText });
    if (!load.ok) throw new Error('the changed catalog is invalid');
    await syncCatalog({
      loaded: load.loaded,
      stripe: h.stripe,
      versions: new CatalogVersionRepository(h.db.dataSource),
      actor: 'test',
      dryRun: false,
    });
    await h.emulator.control.clearRequestLog();
    const response = await change(h, account.auth(), quoteId);
    expect(response.status).toBe(409);
    expect(response.body.error).toMatchObject({ code: 'quote_stale', reason: 'catalog' });
    expect(await h.emulator.control.requestLog()).toEqual([]);
  });

  it('refuses a quote whose subscription changed since, sending no write', async () => {
    const { account, quoteId } = await quotedUpgrade();
    await h.stripe.subscriptions.update(account.subscription.id, { cancel_at_period_end: true });
    await h.emulator.control.clearRequestLog();
    const response = await change(h, account.auth(), quoteId);
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('quote_stale');
    expect(await stripeWrites(h)).toEqual([]);
  });

  it('requires an Idempotency-Key on POST /v1/changes', async () => {
    const { account, quoteId } = await quotedUpgrade();
    const response = await request(h.app)
      .post('/v1/changes')
      .set('Authorization', account.auth())
      .send({ quote_id: quoteId });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('idempotency_key_required');
  });
});
