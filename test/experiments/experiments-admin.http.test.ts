import request from 'supertest';
import { buildApp } from '../../src/app';
import { buildServices } from '../../src/composition';
import { assignVariant } from '../../src/experiments/assignment';
import { createMetrics } from '../../src/ops/metrics';
import { Readiness } from '../../src/ops/readiness';
import { createLogger } from '../../src/shared/logger';
import { createAccount, SimulatedClock, DAY } from '../offers/support/http-fixtures';
import { createTestApp, type TestApp } from '../support/test-app';
import { adminAuth, bearer, serverAuth, userToken } from '../support/tokens';
import { seedPurchase } from './support/money-fixtures';

const RULE = 'welcome_pro_after_two_weeks';

const definition = (key: string, extra: Record<string, unknown> = {}) => ({
  key,
  hypothesis: 'Offering Premium instead of Pro to two-week-old free accounts earns more per account.',
  rule_id: RULE,
  variants: [
    { key: 'a', weight: 50 },
    { key: 'b', weight: 50, overrides: { offer: { type: 'plan', plan: 'premium' } } },
  ],
  primary_metric: { type: 'conversion', window_days: 14 },
  planned_sample_size: 10,
  ...extra,
});

describe('experiments admin and the offers hook', () => {
  let t: TestApp;
  let clock: SimulatedClock;
  const adminPost = (path: string, body?: object) =>
    request(t.app).post(path).set('Authorization', adminAuth).send(body);

  beforeAll(async () => {
    t = await createTestApp();
    clock = new SimulatedClock(t, new Date('2026-11-22T12:00:00Z'));
  });
  afterAll(() => t.close());

  it('creates a draft experiment, lists it and reads it back', async () => {
    const created = await adminPost('/admin/v1/experiments', definition('crud_test'));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key: 'crud_test', status: 'draft', holdout: 0, started_at: null });
    const list = await request(t.app).get('/admin/v1/experiments').set('Authorization', adminAuth);
    expect(list.body.data.map((e: { key: string }) => e.key)).toContain('crud_test');
    const one = await request(t.app).get('/admin/v1/experiments/crud_test').set('Authorization', adminAuth);
    expect(one.body.variants[1].overrides.offer).toEqual({ type: 'plan', plan: 'premium' });
  });

  it('refuses a taken key (409), an unknown rule, bad weights and an override the catalog lacks (422)', async () => {
    expect((await adminPost('/admin/v1/experiments', definition('crud_test'))).status).toBe(409);
    const unknownRule = await adminPost('/admin/v1/experiments', definition('bad_rule', { rule_id: 'nope' }));
    expect(unknownRule.status).toBe(422);
    expect(unknownRule.body.error.param).toBe('rule_id');
    const badWeight = await adminPost(
      '/admin/v1/experiments',
      definition('bad_weight', {
        variants: [
          { key: 'a', weight: 0 },
          { key: 'b', weight: 1 },
        ],
      }),
    );
    expect(badWeight.status).toBe(422);
    expect(badWeight.body.error.param).toBe('variants[0].weight');
    const badOverride = await adminPost(
      '/admin/v1/experiments',
      definition('bad_override', {
        variants: [
          { key: 'a', weight: 1 },
          { key: 'b', weight: 1, overrides: { offer: { type: 'plan', plan: 'platinum' } } },
        ],
      }),
    );
    expect(badOverride.status).toBe(422);
    expect(badOverride.body.error.param).toMatch(/^variants\[1\]\.overrides\.offer/);
  });

  it('replaces and deletes drafts only; starts and stops once', async () => {
    const put = await request(t.app)
      .put('/admin/v1/experiments/crud_test')
      .set('Authorization', adminAuth)
      .send({ ...definition('crud_test'), planned_sample_size: 20 });
    expect(put.body.planned_sample_size).toBe(20);
    expect((await adminPost('/admin/v1/experiments/crud_test/start')).body.status).toBe('running');
    expect((await adminPost('/admin/v1/experiments/crud_test/start')).status).toBe(409);
    const late = await request(t.app)
      .put('/admin/v1/experiments/crud_test')
      .set('Authorization', adminAuth)
      .send(definition('crud_test'));
    expect(late.status).toBe(409);
    expect(
      (await request(t.app).delete('/admin/v1/experiments/crud_test').set('Authorization', adminAuth)).status,
    ).toBe(409);
    expect((await adminPost('/admin/v1/experiments/crud_test/stop')).body.status).toBe('stopped');
    expect((await adminPost('/admin/v1/experiments/crud_test/stop')).status).toBe(409);
    expect((await request(t.app).get('/admin/v1/experiments/missing').set('Authorization', adminAuth)).status).toBe(
      404,
    );
  });

  it('puts each account in its hashed arm, applies the arm overrides and records one exposure per account', async () => {
    await adminPost('/admin/v1/experiments', definition('premium_vs_pro'));
    await adminPost('/admin/v1/experiments/premium_vs_pro/start');
    const accounts = Array.from({ length: 24 }, (_, i) => `exp_acct_${i}`);
    for (const id of accounts) await createAccount(t, id, { signedUpAt: new Date(clock.now().getTime() - 15 * DAY) });
    const seen = new Map<string, string>();
    for (const id of accounts) {
      const res = await request(t.app)
        .get('/v1/prompts?placement=dashboard')
        .set('Authorization', bearer(userToken(id)));
      const prompt = res.body.data.find(
        (p: { experiment?: { key: string } }) => p.experiment?.key === 'premium_vs_pro',
      );
      expect(prompt).toBeDefined();
      const expected = assignVariant(
        {
          key: 'premium_vs_pro',
          holdout: 0,
          variants: [
            { key: 'a', weight: 50 },
            { key: 'b', weight: 50 },
          ],
        },
        id,
      );
      expect(expected).toEqual({ kind: 'variant', variant: prompt.experiment.variant });
      expect(prompt.offer.code).toBe(prompt.experiment.variant === 'b' ? 'premium' : 'pro');
      seen.set(id, prompt.experiment.variant);
    }
    expect(new Set(seen.values())).toEqual(new Set(['a', 'b']));
    clock.advanceDays(1);
    await request(t.app)
      .get('/v1/prompts?placement=dashboard')
      .set('Authorization', bearer(userToken(accounts[0]!)));
    const rows: Array<{ n: number; first: Date }> = await t.db.dataSource.query(
      `SELECT count(*)::int AS n, min(exposed_at) AS first FROM experiment_exposures WHERE experiment_key = 'premium_vs_pro'`,
    );
    expect(rows[0]).toEqual({ n: 24, first: new Date('2026-11-22T12:00:00Z') });
  });

  it('gives the same account the same variant from a second instance and after a restart', async () => {
    const variantFrom = async (app: Parameters<typeof request>[0], id: string) => {
      const res = await request(app)
        .get('/v1/prompts?placement=dashboard')
        .set('Authorization', bearer(userToken(id)));
      return res.body.data.find((p: { experiment?: { key: string } }) => p.experiment)?.experiment.variant as string;
    };
    const instance = async () => {
      const logger = createLogger({ level: 'error', format: 'json', silent: true });
      const services = buildServices({ config: t.config, logger, dataSource: t.db.dataSource });
      services.clock.now = () => clock.now();
      await services.experiments.registry.refresh();
      const app = buildApp({
        config: t.config,
        logger,
        metrics: createMetrics(),
        readiness: new Readiness([]),
        services,
      });
      return app;
    };
    const second = await instance();
    const restarted = await instance();
    for (const id of ['exp_acct_0', 'exp_acct_1', 'exp_acct_2', 'exp_acct_3', 'exp_acct_4', 'exp_acct_5']) {
      const first = await variantFrom(t.app, id);
      expect(await variantFrom(second, id)).toBe(first);
      expect(await variantFrom(restarted, id)).toBe(first);
    }
  });

  it('reports per-variant results with the statistics and breakdowns by country and plan', async () => {
    await seedPurchase(t, {
      accountId: 'exp_acct_0',
      bought: { plan: 'pro' },
      amount: 1900,
      paidAt: new Date('2026-11-24T12:00:00Z'),
    });
    const res = await request(t.app)
      .get('/admin/v1/experiments/premium_vs_pro/results')
      .set('Authorization', adminAuth);
    expect(res.status).toBe(200);
    const arms = res.body.arms as Array<{ variant: string; exposures: number; conversions: { successes: number } }>;
    expect(arms.map((a) => a.variant)).toEqual(['a', 'b']);
    expect(arms.reduce((n, a) => n + a.exposures, 0)).toBe(24);
    expect(arms.reduce((n, a) => n + a.conversions.successes, 0)).toBe(1);
    expect(res.body.comparisons[0]).toMatchObject({ control: 'a', treatment: 'b' });
    expect(res.body.comparisons[0].verdict.kind).toMatch(/insufficient_sample|no_difference/);
    expect(Object.keys(res.body.breakdown.country)).toEqual(['US']);
    expect(Object.keys(res.body.breakdown.plan)).toEqual(['free']);
    expect(res.body.sample_ratio).toHaveProperty('p_value');
    expect(res.body.arms[0].revenue_per_account).toHaveProperty('mean');
  });

  it('counts a payment Stripe dates to the very second of the exposure (whole seconds) as after it', async () => {
    // Exposed 700 ms into 13:00:00; Stripe's paid_at says 13:00:00, yet the payment came after the prompt.
    await t.db.dataSource.query(
      `UPDATE experiment_exposures SET exposed_at = '2026-11-24T13:00:00.700Z'
       WHERE experiment_key = 'premium_vs_pro' AND account_id = 'exp_acct_1'`,
    );
    await seedPurchase(t, {
      accountId: 'exp_acct_1',
      bought: { plan: 'pro' },
      amount: 1900,
      paidAt: new Date('2026-11-24T13:00:00Z'),
    });
    const res = await request(t.app)
      .get('/admin/v1/experiments/premium_vs_pro/results')
      .set('Authorization', adminAuth);
    const arms = res.body.arms as Array<{ conversions: { successes: number } }>;
    expect(arms.reduce((n, a) => n + a.conversions.successes, 0)).toBe(2);
  });

  it('records the holdout at the prompt it withholds, and shows those accounts nothing from the rule', async () => {
    await adminPost('/admin/v1/experiments/premium_vs_pro/stop');
    await adminPost('/admin/v1/experiments', definition('with_holdout', { holdout: 0.5 }));
    await adminPost('/admin/v1/experiments/with_holdout/start');
    const accounts = Array.from({ length: 30 }, (_, i) => `hold_acct_${i}`);
    const fromRule = new Map<string, boolean>();
    for (const id of accounts) {
      await createAccount(t, id, { signedUpAt: new Date(clock.now().getTime() - 15 * DAY) });
      const res = await request(t.app)
        .get('/v1/prompts?placement=dashboard')
        .set('Authorization', bearer(userToken(id)));
      fromRule.set(
        id,
        res.body.data.some((p: { experiment?: { key: string } }) => p.experiment?.key === 'with_holdout'),
      );
    }
    const rows: Array<{ account_id: string; variant: string }> = await t.db.dataSource.query(
      `SELECT account_id, variant FROM experiment_exposures WHERE experiment_key = 'with_holdout'`,
    );
    expect(rows).toHaveLength(30);
    const heldOut = rows.filter((r) => r.variant === 'holdout').map((r) => r.account_id);
    expect(heldOut.length).toBeGreaterThan(5);
    for (const id of accounts) expect(fromRule.get(id)).toBe(!heldOut.includes(id));
    const results = await request(t.app)
      .get('/admin/v1/experiments/with_holdout/results')
      .set('Authorization', adminAuth);
    expect(results.body.arms.map((a: { variant: string }) => a.variant)).toEqual(['a', 'b', 'holdout']);
  });

  it('is closed to end users and the server key', async () => {
    const user = await request(t.app)
      .get('/admin/v1/experiments')
      .set('Authorization', bearer(userToken('exp_acct_0')));
    expect(user.status).toBe(403);
    expect((await request(t.app).get('/admin/v1/experiments').set('Authorization', serverAuth)).status).toBe(403);
  });
});
