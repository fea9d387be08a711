import crypto from 'node:crypto';
import type { Express } from 'express';
import PgBoss from 'pg-boss';
import request from 'supertest';
import { buildApp } from '../../src/app';
import { createMetrics, type Metrics } from '../../src/ops/metrics';
import { databaseCheck, Readiness } from '../../src/ops/readiness';
import { observeServices } from '../../src/ops/service-metrics';
import { stripeOperation } from '../../src/ops/stripe-metrics';
import { createLogger } from '../../src/shared/logger';
import { paidAccount, startBillingHarness, type BillingHarness } from '../billing/support/billing-harness';
import { at, buy, claim, DAY_MS } from '../guarantees/support/guarantee-harness';
import { createAccount, postEvent, promptsOf, SimulatedClock } from '../offers/support/http-fixtures';
import type { TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';
import { serverAuth } from '../support/tokens';

// The metrics an operator needs (issue #19): each one present on /metrics, and moved by the action it counts.
let h: BillingHarness;
let metrics: Metrics;
let app: Express;
let t: TestApp;

beforeAll(async () => {
  h = await startBillingHarness();
  metrics = createMetrics();
  observeServices({ services: h.services, dataSource: h.db.dataSource }, metrics);
  const config = testConfig();
  app = buildApp({
    config,
    logger: createLogger({ level: 'error', format: 'json', silent: true }),
    metrics,
    readiness: new Readiness([databaseCheck(h.db.dataSource)]),
    services: h.services,
  });
  t = { app, config, services: h.services, db: h.db, close: async () => undefined };
});
afterAll(async () => {
  await h?.db.dataSource.query(`DROP SCHEMA IF EXISTS "pgboss_${h.db.schema}" CASCADE`);
  await h?.close();
});

/** The sum of a metric's samples whose labels include `labels` (a histogram: its _count). */
async function value(name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  return values
    .filter((v) => !('metricName' in v) || v.metricName === undefined || v.metricName === `${name}_count`)
    .filter((v) => Object.entries(labels).every(([k, l]) => String(v.labels[k]) === l))
    .reduce((sum, v) => sum + v.value, 0);
}

const METRICS = [
  'tierlift_http_request_duration_seconds',
  'tierlift_stripe_request_duration_seconds',
  'tierlift_webhook_lag_seconds',
  'tierlift_job_queue_depth',
  'tierlift_billing_operations',
  'tierlift_billing_operation_oldest_age_seconds',
  'tierlift_usage_events_total',
  'tierlift_prompts_served_total',
  'tierlift_prompt_events',
  'tierlift_prompt_conversions',
  'tierlift_refund_claims',
  'tierlift_refunded_amount',
];

describe('/metrics', () => {
  it('lists every metric that matters', async () => {
    const res = await request(app).get('/metrics');
    expect(res.status).toBe(200);
    for (const name of METRICS) expect(res.text).toContain(`# TYPE ${name} `);
  });
});

describe('Stripe calls', () => {
  it('names the operation by method and path pattern, never by object id', () => {
    expect(stripeOperation('post', '/v1/subscriptions/sub_1Mx9abc?expand[]=x')).toBe('POST /v1/subscriptions/:id');
    expect(stripeOperation('GET', '/v1/test_helpers/test_clocks/clock_1AbC')).toBe(
      'GET /v1/test_helpers/test_clocks/:id',
    );
  });

  it('times each call by operation and outcome: setting up a paid account is ok calls, a missing customer a client_error', async () => {
    const ok = await value('tierlift_stripe_request_duration_seconds', { outcome: 'ok' });
    const account = await paidAccount(h);
    expect(await value('tierlift_stripe_request_duration_seconds', { outcome: 'ok' })).toBeGreaterThan(ok);
    const missing = { operation: 'GET /v1/customers/:id', outcome: 'client_error' };
    const before = await value('tierlift_stripe_request_duration_seconds', missing);
    await expect(h.stripe.customers.retrieve('cus_Missing0000')).rejects.toThrow();
    expect(await value('tierlift_stripe_request_duration_seconds', missing)).toBe(before + 1);
    expect(account.customerId).toMatch(/^cus_/);
  });
});

describe('usage events', () => {
  it('counts accepted, duplicate and rejected events', async () => {
    await createAccount(t, 'acct_usage_metrics', { signedUpAt: new Date() });
    const event = (id: string, quantity: unknown) => ({
      id,
      account_id: 'acct_usage_metrics',
      feature: 'projects',
      quantity,
      action: 'set',
      timestamp: new Date().toISOString(),
    });
    const before = {
      accepted: await value('tierlift_usage_events_total', { result: 'accepted' }),
      duplicate: await value('tierlift_usage_events_total', { result: 'duplicate' }),
      rejected: await value('tierlift_usage_events_total', { result: 'rejected' }),
    };
    const res = await request(app)
      .post('/v1/usage')
      .set('Authorization', serverAuth)
      .send({ events: [event('m_1', 1), event('m_2', 2), event('m_1', 1), event('m_3', 'lots')] });
    expect(res.status).toBe(200);
    expect(await value('tierlift_usage_events_total', { result: 'accepted' })).toBe(before.accepted + 2);
    expect(await value('tierlift_usage_events_total', { result: 'duplicate' })).toBe(before.duplicate + 1);
    expect(await value('tierlift_usage_events_total', { result: 'rejected' })).toBe(before.rejected + 1);
  });
});

describe('prompts', () => {
  it('counts prompts served and the impressions and clicks recorded', async () => {
    const clock = new SimulatedClock(t, new Date());
    const accountId = 'acct_prompt_metrics';
    await createAccount(t, accountId, { signedUpAt: new Date(clock.now().getTime() - 60 * DAY_MS) });
    await request(app)
      .post('/v1/usage')
      .set('Authorization', serverAuth)
      .send({
        events: [
          {
            id: 'pm_usage_1',
            account_id: accountId,
            feature: 'projects',
            quantity: 3,
            action: 'set',
            timestamp: clock.now().toISOString(),
          },
        ],
      })
      .expect(200);
    const served = await value('tierlift_prompts_served_total');
    const impressions = await value('tierlift_prompt_events', { type: 'impression' });
    const prompts = await promptsOf(t, accountId);
    expect(prompts.length).toBeGreaterThan(0);
    expect(await value('tierlift_prompts_served_total')).toBe(served + prompts.length);
    // the first showing of each prompt on a day is its impression
    expect(await value('tierlift_prompt_events', { type: 'impression' })).toBe(impressions + prompts.length);

    const promptId = String(prompts[0]?.id);
    const clicks = await value('tierlift_prompt_events', { type: 'click' });
    expect((await postEvent(t, accountId, promptId, { type: 'click' })).status).toBe(200); // a double click: once
    expect(await value('tierlift_prompt_events', { type: 'click' })).toBe(clicks + 1);
  });
});

describe('the journal, conversions and refunds', () => {
  it('counts operations by state, the age of a stuck one, a conversion after a click, and a refund', async () => {
    const account = await paidAccount(h);
    const completed = await value('tierlift_billing_operations', { state: 'completed' });
    const conversions = await value('tierlift_prompt_conversions');
    const upgrade = await buy(h, account.auth(), { plan: 'premium' });
    expect(await value('tierlift_billing_operations', { state: 'completed' })).toBe(completed + 1);
    expect(await value('tierlift_prompt_conversions')).toBe(conversions); // no click before it

    // A click on a prompt the day before the payment: the purchase is that prompt's conversion.
    const promptId = `prm_${crypto.randomBytes(12).toString('hex')}`;
    const clickedAt = new Date(upgrade.paidAt.getTime() - DAY_MS);
    await h.db.dataSource.query(
      `INSERT INTO offer_prompts (id, account_id, rule_id, period_key, kind, offer_type, offer_code, offer_interval,
         amount, currency, placement, tone, first_shown_at, last_shown_at)
       VALUES ($1, $2, 'upsell_premium', 'p', 'upsell', 'plan', 'premium', 'month', 100, 'usd', 'dashboard', 'neutral', $3, $3)`,
      [promptId, account.accountId, clickedAt],
    );
    await h.db.dataSource.query(
      `INSERT INTO offer_events (prompt_id, account_id, rule_id, type, placement, occurred_at, bucket)
       VALUES ($1, $2, 'upsell_premium', 'click', 'dashboard', $3, 0)`,
      [promptId, account.accountId, clickedAt],
    );
    expect(await value('tierlift_prompt_conversions')).toBe(conversions + 1);

    // The operation stuck in `sent` for an hour: its age shows.
    const [operation] = (await h.db.dataSource.query(
      `SELECT o.id FROM billing_operations o JOIN purchases p ON p.operation_id = o.id WHERE p.id = $1`,
      [upgrade.id],
    )) as Array<{ id: string }>;
    await h.db.dataSource.query(
      `UPDATE billing_operations SET state = 'sent', created_at = now() - interval '1 hour' WHERE id = $1`,
      [operation?.id],
    );
    expect(await value('tierlift_billing_operation_oldest_age_seconds', { state: 'sent' })).toBeGreaterThanOrEqual(
      3600,
    );
    await h.db.dataSource.query(`UPDATE billing_operations SET state = 'completed' WHERE id = $1`, [operation?.id]);
    expect(await value('tierlift_billing_operation_oldest_age_seconds', { state: 'sent' })).toBe(0);

    const refunded = await value('tierlift_refunded_amount', { currency: 'usd' });
    at(h, upgrade, 3 * DAY_MS);
    const claimed = await claim(h, account.auth(), upgrade.id);
    expect(claimed.status).toBe(200);
    expect(
      (await value('tierlift_refund_claims', { state: 'completed' })) +
        (await value('tierlift_refund_claims', { state: 'refunded' })),
    ).toBeGreaterThanOrEqual(1);
    expect(await value('tierlift_refunded_amount', { currency: 'usd' })).toBe(refunded + upgrade.amount);
  });
});

describe('webhooks and the job queue', () => {
  it('shows the age of the oldest waiting event, then the lag of the last processed one', async () => {
    const id = `evt_${crypto.randomBytes(8).toString('hex')}`;
    await h.db.dataSource.query(
      `INSERT INTO webhook_events (id, type, created, payload, received_at)
       VALUES ($1, 'customer.updated', now(), '{}', now() - interval '10 minutes')`,
      [id],
    );
    expect(await value('tierlift_webhook_lag_seconds', { measure: 'oldest_waiting' })).toBeGreaterThanOrEqual(600);
    await h.db.dataSource.query(`UPDATE webhook_events SET status = 'processed', processed_at = now() WHERE id = $1`, [
      id,
    ]);
    expect(await value('tierlift_webhook_lag_seconds', { measure: 'oldest_waiting' })).toBe(0);
    expect(await value('tierlift_webhook_lag_seconds', { measure: 'last_processed' })).toBeGreaterThanOrEqual(600);
  });

  it('counts the jobs waiting in each queue', async () => {
    const boss = new PgBoss({ connectionString: h.db.url, schema: `pgboss_${h.db.schema}`, supervise: false });
    await boss.start();
    try {
      await boss.createQueue('metrics-probe');
      expect(await value('tierlift_job_queue_depth', { queue: 'metrics-probe' })).toBe(0);
      await boss.send('metrics-probe', { n: 1 });
      await boss.send('metrics-probe', { n: 2 });
      expect(await value('tierlift_job_queue_depth', { queue: 'metrics-probe', state: 'created' })).toBe(2);
    } finally {
      await boss.stop({ graceful: false });
    }
  });
});
