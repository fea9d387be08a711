import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { startRuntime, type Runtime } from '../../src/runtime';
import { createLogger } from '../../src/shared/logger';
import type { Stripe, StripeClient } from '../../src/stripe/stripe-client';
import { testConfig } from '../support/test-config';
import { adminAuth, bearer, serverAuth, userToken } from '../support/tokens';

/**
 * Issue #18, acceptance 3: in local mode (no STRIPE_SECRET_KEY, the emulator in process) the
 * service and Stripe keep one clock. Each customer lives on a test clock, as in Stripe test mode
 * (docs.stripe.com/billing/testing/test-clocks), and the demo's skip moves every test clock with
 * the service's clock, persists, and never goes back. The runtime is started in this process
 * exactly as `npm start` starts it, on its own schema and DATA_DIR; nothing reads the wall clock
 * for an assertion: every time compared comes from the service's clock or from Stripe's.
 */
jest.setTimeout(120_000);

const DAY = 86_400;
const ACCOUNT = `acct_clock_${crypto.randomBytes(4).toString('hex')}`;
const owner = bearer(userToken(ACCOUNT, 'owner'));

describe('local mode keeps one clock for the service and Stripe', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tierlift-clock-'));
  // NOTE: `tt_<ms>_…` like every test schema, so a run that dies leaves nothing global-setup will not drop.
  const schema = `tt_${Date.now()}_lc${crypto.randomBytes(3).toString('hex')}`;
  const config = () =>
    testConfig({ DATA_DIR: dataDir, DATABASE_SCHEMA: schema, PORT: '0', HOST: '127.0.0.1', DEMO_DATA: 'on' });
  const logger = createLogger({
    level: process.env.TEST_LOG_LEVEL ?? 'error',
    format: 'json',
    silent: !process.env.TEST_LOG_LEVEL,
  });
  let runtime: Runtime | undefined;

  const start = async () => {
    runtime = await startRuntime(config(), logger);
    return runtime;
  };
  const stop = async () => {
    await runtime?.shutdown('test');
    runtime = undefined;
  };

  afterAll(async () => {
    // the runtime (its job-queue workers included) stops first: dropping its schemas under it deadlocks
    await stop();
    const client = new Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.query(`DROP SCHEMA IF EXISTS "pgboss_${schema}" CASCADE`);
    } finally {
      await client.end();
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('buy after a skip, window closes 7 days after paid_at, renewal at the new date, clock kept on restart', async () => {
    const first = await start();
    const stripe = first.services.stripe as StripeClient;
    const api = () => request(first.url);
    const skip = async (days: number) => {
      const moved = await api().post('/demo/api/clock').send({ days });
      expect(moved.status).toBe(200);
      return moved.body as { now: string; offset_days: number; test_clocks_moved: number };
    };

    // Time moved before the customer existed: Stripe must start the customer on the service's day.
    const before = await skip(3);
    expect(before.offset_days).toBe(3);

    await api()
      .put(`/v1/accounts/${ACCOUNT}`)
      .set('Authorization', serverAuth)
      .send({
        name: 'Site Works',
        email: `${ACCOUNT}@example.com`,
        country: 'US',
        locale: 'en-US',
        industry: 'construction',
      })
      .expect(201);
    // The owner clicks an upgrade offer on the service's (skipped) day, then buys.
    await clickOffer(first, ACCOUNT, first.services.clock.now());
    const customerId = (await api().get('/v1/account').set('Authorization', owner)).body.stripe_customer_id as string;
    const customer = (await stripe.customers.retrieve(customerId)) as Stripe.Customer;
    const clockId = typeof customer.test_clock === 'string' ? customer.test_clock : customer.test_clock?.id;
    if (!clockId) throw new Error('the customer was created without a test clock');
    expect((await stripe.testHelpers.testClocks.retrieve(clockId)).frozen_time).toBeGreaterThanOrEqual(
      Date.parse(before.now) / 1000,
    );

    await buy(first, { plan: 'pro', interval: 'month', trial: false });
    const subscription = (await stripe.subscriptions.list({ customer: customerId })).data[0];
    if (!subscription) throw new Error('no subscription');
    const firstPeriodEnd = subscription.items.data[0]?.current_period_end ?? 0;
    const training = await buy(first, { add_ons: [{ code: 'training_construction', quantity: 1 }] });
    const invoice = await stripe.invoices.retrieve(training.invoiceId);
    const paidAt = invoice.status_transitions.paid_at ?? 0;
    const deadline = new Date((paidAt + 7 * DAY) * 1000).toISOString();
    // Stripe paid on the service's day (after the skip), so the window is open right after purchase.
    expect(paidAt).toBeGreaterThanOrEqual(Date.parse(before.now) / 1000);
    const open = await api().get('/v1/refunds/eligibility').set('Authorization', owner);
    expect(open.body.data).toContainEqual(
      expect.objectContaining({ purchase_id: training.id, eligible: true, deadline }),
    );

    // Attribution reads Stripe's paid_at against the click: both purchases follow it on one calendar.
    const funnel = await api()
      .get('/admin/v1/analytics/funnel')
      .query({ from: before.now, to: new Date(Date.parse(before.now) + 30 * DAY * 1000).toISOString() })
      .set('Authorization', adminAuth);
    expect(funnel.status).toBe(200);
    expect(funnel.body.data).toContainEqual(
      expect.objectContaining({ group: 'welcome_pro_after_two_weeks', clicks: 1, paid_changes: 2 }),
    );

    const week = await skip(8);
    expect(week.offset_days).toBe(11);
    const late = await claim(first, training.id);
    expect(late.status).toBe(422);
    expect(late.body.error).toMatchObject({ code: 'window_closed', deadline });

    const month = await skip(31);
    expect(month.offset_days).toBe(42);
    const target = Date.parse(month.now) / 1000;
    expect((await stripe.testHelpers.testClocks.retrieve(clockId)).frozen_time).toBe(target);
    const renewal = (await stripe.invoices.list({ customer: customerId, limit: 100 })).data.find(
      (candidate) => candidate.billing_reason === 'subscription_cycle',
    );
    expect(renewal).toMatchObject({ created: firstPeriodEnd, status: 'paid' });
    expect(renewal?.created).toBeLessThanOrEqual(target);
    const renewed = await stripe.subscriptions.retrieve(subscription.id);
    expect(renewed.items.data[0]?.current_period_start).toBe(firstPeriodEnd);

    // Never back: a move back is refused, and the clock stays where it was.
    const back = await api().post('/demo/api/clock').send({ days: -1 });
    expect(back.status).toBe(422);
    expect((await api().get('/demo/api/clock')).body.offset_days).toBe(42);

    await stop();
    const second = await start();
    const resumed = await request(second.url).get('/demo/api/clock').expect(200);
    expect(resumed.body.offset_days).toBe(42);
    expect(Date.parse(resumed.body.now)).toBeGreaterThanOrEqual(Date.parse(month.now));
    expect(second.services.clock.now().getTime()).toBeGreaterThanOrEqual(Date.parse(month.now));
    const secondStripe = second.services.stripe as StripeClient;
    expect((await secondStripe.testHelpers.testClocks.retrieve(clockId)).frozen_time).toBe(target);
    // The next skip carries on from there, Stripe's clock with it.
    const onward = await request(second.url).post('/demo/api/clock').send({ days: 1 }).expect(200);
    expect(onward.body.offset_days).toBe(43);
    expect((await secondStripe.testHelpers.testClocks.retrieve(clockId)).frozen_time).toBe(
      Date.parse(onward.body.now) / 1000,
    );
  });
});

async function buy(runtime: Runtime, body: object): Promise<{ id: string; invoiceId: string }> {
  const quoted = await request(runtime.url).post('/v1/quotes').set('Authorization', owner).send(body);
  if (quoted.status !== 201) throw new Error(`quote failed: ${JSON.stringify(quoted.body)}`);
  let changed = await request(runtime.url)
    .post('/v1/changes')
    .set('Authorization', owner)
    .set('Idempotency-Key', crypto.randomUUID())
    .send({ quote_id: quoted.body.id });
  if (changed.body.status === 'checkout_required') {
    // The customer pays on the emulator's hosted Checkout page, then the service asks Stripe (as on return).
    const paid = await fetch(`${changed.body.checkout_url}/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'card=pm_card_visa',
      redirect: 'manual',
    });
    expect(paid.status).toBeLessThan(400);
    changed = await request(runtime.url).get(`/v1/changes/${changed.body.operation_id}`).set('Authorization', owner);
  }
  if (changed.body.status !== 'applied') throw new Error(`change failed: ${JSON.stringify(changed.body)}`);
  const rows: Array<{ id: string; stripe_invoice_id: string }> = await runtime.dataSource.query(
    `SELECT p.id, p.stripe_invoice_id FROM purchases p
       JOIN billing_operations o ON o.id = p.operation_id WHERE o.quote_id = $1`,
    [quoted.body.id],
  );
  const row = rows[0];
  if (!row) throw new Error('no purchase recorded');
  return { id: row.id, invoiceId: row.stripe_invoice_id };
}

/** An offer shown and clicked at `at` (as the widget records it), so a later payment is attributed to it. */
async function clickOffer(runtime: Runtime, accountId: string, at: Date): Promise<void> {
  const promptId = `prm_${crypto.randomBytes(12).toString('hex')}`;
  await runtime.dataSource.query(
    `INSERT INTO offer_prompts (id, account_id, rule_id, period_key, kind, offer_type, offer_code, offer_interval,
                                amount, currency, placement, tone, first_shown_at, last_shown_at)
     VALUES ($1, $2, 'welcome_pro_after_two_weeks', 'p', 'upsell', 'plan', 'pro', 'month', 1900, 'usd',
             'dashboard', 'neutral', $3, $3)`,
    [promptId, accountId, at],
  );
  for (const [bucket, type] of ['impression', 'click'].entries())
    await runtime.dataSource.query(
      `INSERT INTO offer_events (prompt_id, account_id, rule_id, type, placement, occurred_at, bucket)
       VALUES ($1, $2, 'welcome_pro_after_two_weeks', $3, 'dashboard', $4, $5)`,
      [promptId, accountId, type, at, bucket],
    );
}

function claim(runtime: Runtime, purchaseId: string) {
  return request(runtime.url)
    .post('/v1/refunds')
    .set('Authorization', owner)
    .set('Idempotency-Key', crypto.randomUUID())
    .send({ purchase_id: purchaseId, reason: 'we cannot make the date' });
}
