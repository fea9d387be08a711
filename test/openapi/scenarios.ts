import crypto from 'node:crypto';
import request from 'supertest';
import { Stripe } from '../../src/stripe/stripe-client';
import { paidAccount, type BillingHarness, type PaidAccount } from '../billing/support/billing-harness';
import { demoCatalogText } from '../catalog/support/demo-catalog';
import { DEMO_ACCOUNT_ID } from '../../src/local/demo';
import { buy } from '../guarantees/support/guarantee-harness';
import { testConfig } from '../support/test-config';
import { adminAuth, bearer, serverAuth, userToken } from '../support/tokens';
import { eventEndpointScenarios } from './event-endpoint-scenarios';

/**
 * One call per row, run in order against the real app on the Stripe emulator; each row names the
 * documented route it exercises and the status it must get. openapi-contract.test.ts checks every
 * answer against /openapi.json and fails for a documented route with no row (or no 2xx row).
 * Adding a route? Add at least its success here.
 */
export interface ScenarioContext {
  h: BillingHarness;
  /** Filled by `setUp` and by earlier rows (ids of what they created). */
  state: Record<string, string>;
  paid: PaidAccount;
  guaranteed: PaidAccount;
}

export interface Scenario {
  /** `METHOD /openapi/{style}` as in the document. */
  route: string;
  name: string;
  /** The status this call must get (several only where it depends on the machine, e.g. built assets). */
  status: number | number[];
  send(c: ScenarioContext): request.Test;
  /** Prepares the call (e.g. moves the service's clock). */
  before?(c: ScenarioContext): void;
  /** Keeps what later rows need. */
  after?(c: ScenarioContext, res: request.Response): void | Promise<void>;
}

const api = (c: ScenarioContext) => request(c.h.app);
const key = () => crypto.randomUUID();
/** A POST with a fresh Idempotency-Key. */
const postKeyed = (c: ScenarioContext, path: string, authorization: string, body: object) =>
  api(c).post(path).set('Authorization', authorization).set('Idempotency-Key', key()).send(body);
/** POST /v1/changes for a quote. */
const postChange = (c: ScenarioContext, quoteId: unknown, authorization: string) =>
  postKeyed(c, '/v1/changes', authorization, { quote_id: quoteId });
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const signer = new Stripe('sk_test_signer_only');
/** The service's own clock function, put back after the guarantee rows. */
let realNow: (() => Date) | undefined;

/** A trialing Pro subscription on a test clock at TRIAL_START (14 days), for the trial extension row. */
const TRIAL_START = Date.UTC(2026, 3, 1) / 1000;
async function trialingAccount(c: ScenarioContext): Promise<string> {
  const { stripe } = c.h;
  const accountId = `acct_${crypto.randomBytes(6).toString('hex')}`;
  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: TRIAL_START });
  const customer = await stripe.customers.create({
    test_clock: clock.id,
    metadata: { tierlift_account_id: accountId },
  });
  await c.h.db.dataSource.query(
    `INSERT INTO accounts (id, name, email, country, locale, signed_up_at, stripe_customer_id)
     VALUES ($1, 'Trial Co', $2, 'US', 'en', now(), $3)`,
    [accountId, `${accountId}@example.com`, customer.id],
  );
  const [price] = (await stripe.prices.list({ lookup_keys: ['tierlift_plan_pro_month'] })).data;
  await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price!.id }], trial_period_days: 14 });
  return accountId;
}

const experiment = (experimentKey: string, extra: Record<string, unknown> = {}) => ({
  key: experimentKey,
  hypothesis: 'Offering Premium instead of Pro earns more per account.',
  rule_id: 'welcome_pro_after_two_weeks',
  variants: [
    { key: 'a', weight: 50 },
    { key: 'b', weight: 50, overrides: { offer: { type: 'plan', plan: 'premium' } } },
  ],
  primary_metric: { type: 'conversion', window_days: 14 },
  planned_sample_size: 10,
  ...extra,
});

/** Accounts and purchases the rows build on. */
export async function setUp(h: BillingHarness): Promise<ScenarioContext> {
  const paid = await paidAccount(h);
  const guaranteed = await paidAccount(h);
  const c: ScenarioContext = { h, paid, guaranteed, state: {} };
  // Agency trainings are offered to agencies only.
  await h.db.dataSource.query(`UPDATE accounts SET industry = 'agency' WHERE id = $1`, [guaranteed.accountId]);
  const addOn = await buy(h, guaranteed.auth(), { add_ons: [{ code: 'priority_support', quantity: 1 }] });
  const training = await buy(h, guaranteed.auth(), { add_ons: [{ code: 'training_agency', quantity: 1 }] });
  c.state.addOnPurchase = addOn.id;
  c.state.trainingPurchase = training.id;
  c.state.paidAt = addOn.paidAt.toISOString();
  // The demo's helpers act on the demo account local mode seeds.
  await request(h.app)
    .put(`/v1/accounts/${DEMO_ACCOUNT_ID}`)
    .set('Authorization', serverAuth)
    .send({ name: 'Demo Co', email: 'demo@example.com', country: 'US', locale: 'en' })
    .expect(201);
  return c;
}

export const scenarios: Scenario[] = [
  // Operations and the reference itself
  { route: 'GET /healthz', name: 'up', status: 200, send: (c) => api(c).get('/healthz') },
  { route: 'GET /readyz', name: 'ready', status: 200, send: (c) => api(c).get('/readyz') },
  { route: 'GET /metrics', name: 'Prometheus text', status: 200, send: (c) => api(c).get('/metrics') },
  { route: 'GET /openapi.json', name: 'the document', status: 200, send: (c) => api(c).get('/openapi.json') },
  { route: 'GET /docs', name: 'the reference page', status: 200, send: (c) => api(c).get('/docs') },
  // NOTE: 503 until `npm run build:web` has built the pages (a fresh checkout in CI).
  { route: 'GET /admin', name: 'the dashboard page', status: [200, 503], send: (c) => api(c).get('/admin') },
  { route: 'GET /demo', name: 'the demo page', status: [200, 503], send: (c) => api(c).get('/demo') },

  // Accounts
  {
    route: 'PUT /v1/accounts/{account_id}',
    name: 'creates',
    status: 201,
    send: (c) =>
      api(c)
        .put('/v1/accounts/acct_contract')
        .set('Authorization', serverAuth)
        .send({
          name: 'Contract Ltd',
          email: 'c@example.com',
          country: 'DE',
          locale: 'de-DE',
          industry: 'agency',
          company_size: '11-50',
          created_at: iso(Date.now() - 60 * 24 * HOUR),
        }),
  },
  {
    route: 'PUT /v1/accounts/{account_id}',
    name: 'updates',
    status: 200,
    send: (c) =>
      api(c)
        .put('/v1/accounts/acct_contract')
        .set('Authorization', serverAuth)
        .send({ name: 'Contract GmbH', email: 'c@example.com', country: 'DE', locale: 'de-DE' }),
  },
  {
    route: 'PUT /v1/accounts/{account_id}',
    name: 'refuses a bad country',
    status: 422,
    send: (c) =>
      api(c)
        .put('/v1/accounts/acct_contract')
        .set('Authorization', serverAuth)
        .send({ name: 'X', email: 'c@example.com', country: 'XX', locale: 'en' }),
  },
  {
    route: 'GET /v1/account',
    name: 'a paying account',
    status: 200,
    send: (c) => api(c).get('/v1/account').set('Authorization', c.paid.auth()),
  },
  {
    route: 'GET /v1/account',
    name: 'a free account',
    status: 200,
    send: (c) =>
      api(c)
        .get('/v1/account')
        .set('Authorization', bearer(userToken('acct_contract'))),
  },
  {
    route: 'GET /v1/account',
    name: 'an account the SaaS never created',
    status: 404,
    send: (c) =>
      api(c)
        .get('/v1/account')
        .set('Authorization', bearer(userToken('acct_nobody'))),
  },
  {
    route: 'GET /admin/v1/accounts/{id}',
    name: 'with refunds section',
    status: 200,
    send: (c) => api(c).get(`/admin/v1/accounts/${c.guaranteed.accountId}`).set('Authorization', adminAuth),
  },
  {
    route: 'GET /admin/v1/accounts/{id}',
    name: 'unknown',
    status: 404,
    send: (c) => api(c).get('/admin/v1/accounts/acct_nobody').set('Authorization', adminAuth),
  },

  // Catalog
  {
    route: 'GET /v1/plans',
    name: "the account's table",
    status: 200,
    send: (c) => api(c).get('/v1/plans').set('Authorization', c.paid.auth()),
  },
  {
    route: 'GET /v1/plans',
    name: 'a preview per year in German',
    status: 200,
    send: (c) =>
      api(c)
        .get('/v1/plans?interval=year&locale=de-AT&country=at')
        .set('Authorization', bearer(userToken('acct_contract'))),
  },
  {
    route: 'GET /v1/plans',
    name: 'a bad interval',
    status: 422,
    send: (c) => api(c).get('/v1/plans?interval=week').set('Authorization', c.paid.auth()),
  },
  {
    route: 'GET /v1/invoices',
    name: "the paid account's invoices",
    status: 200,
    send: (c) => api(c).get('/v1/invoices?limit=10').set('Authorization', c.paid.auth()),
  },
  {
    route: 'GET /v1/invoices',
    name: 'a limit out of range',
    status: 422,
    send: (c) => api(c).get('/v1/invoices?limit=0').set('Authorization', c.paid.auth()),
  },
  {
    route: 'POST /v1/admin-requests',
    name: 'a member asks the owner to upgrade',
    status: 201,
    send: (c) =>
      api(c)
        .post('/v1/admin-requests')
        .set('Authorization', bearer(userToken(c.paid.accountId, 'member')))
        .send({ kind: 'upgrade', message: 'We need more API calls.' }),
  },
  {
    route: 'POST /v1/admin-requests',
    name: 'an unknown kind',
    status: 422,
    send: (c) => api(c).post('/v1/admin-requests').set('Authorization', c.paid.auth()).send({ kind: 'refund' }),
  },
  {
    route: 'GET /v1/admin-requests',
    name: 'the owner reads the requests',
    status: 200,
    send: (c) => api(c).get('/v1/admin-requests').set('Authorization', c.paid.auth()),
  },
  {
    route: 'GET /v1/admin-requests',
    name: 'a member may not read them',
    status: 403,
    send: (c) =>
      api(c)
        .get('/v1/admin-requests')
        .set('Authorization', bearer(userToken(c.paid.accountId, 'member'))),
  },
  {
    route: 'GET /v1/public/plans',
    name: 'a logged-out pricing page in euros',
    status: 200,
    send: (c) => api(c).get('/v1/public/plans?currency=EUR&locale=de-DE&interval=year'),
  },
  {
    route: 'GET /v1/public/plans',
    name: 'a currency the catalog does not publish',
    status: 422,
    send: (c) => api(c).get('/v1/public/plans?currency=xxx'),
  },
  {
    route: 'GET /admin/v1/catalog',
    name: 'the running catalog',
    status: 200,
    send: (c) => api(c).get('/admin/v1/catalog').set('Authorization', adminAuth),
  },
  {
    route: 'GET /admin/v1/catalog/versions',
    name: 'versions',
    status: 200,
    send: (c) => api(c).get('/admin/v1/catalog/versions?limit=5').set('Authorization', adminAuth),
  },
  {
    route: 'GET /admin/v1/catalog/diff',
    name: 'in sync',
    status: 200,
    send: (c) => api(c).get('/admin/v1/catalog/diff').set('Authorization', adminAuth),
  },
  {
    route: 'POST /admin/v1/catalog/validate',
    name: 'the demo catalog',
    status: 200,
    send: (c) =>
      api(c).post('/admin/v1/catalog/validate').set('Authorization', adminAuth).send({ yaml: demoCatalogText() }),
  },
  {
    route: 'POST /admin/v1/catalog/validate',
    name: 'a broken catalog',
    status: 200,
    send: (c) =>
      api(c).post('/admin/v1/catalog/validate').set('Authorization', adminAuth).send({ yaml: 'plans: [1, 2' }),
  },
  {
    route: 'POST /admin/v1/catalog/sync',
    name: 'a dry run',
    status: 200,
    send: (c) => api(c).post('/admin/v1/catalog/sync').set('Authorization', adminAuth).send({ dry_run: true }),
  },
  {
    route: 'POST /admin/v1/catalog/sync',
    name: 'a real run, already in sync',
    status: 200,
    send: (c) => api(c).post('/admin/v1/catalog/sync').set('Authorization', adminAuth).send({}),
  },

  // Usage
  {
    route: 'POST /v1/usage',
    name: 'a batch with one bad event',
    status: 200,
    send: (c) =>
      api(c)
        .post('/v1/usage')
        .set('Authorization', serverAuth)
        .send({
          events: [
            {
              id: 'ev_1',
              account_id: 'acct_contract',
              feature: 'projects',
              quantity: 3,
              action: 'set',
              timestamp: iso(Date.now()),
            },
            {
              id: 'ev_2',
              account_id: c.paid.accountId,
              feature: 'api_calls',
              quantity: 120,
              action: 'increment',
              timestamp: iso(Date.now()),
            },
            {
              id: 'ev_3',
              account_id: 'acct_contract',
              feature: 'nope',
              quantity: 1,
              action: 'increment',
              timestamp: iso(Date.now()),
            },
          ],
        }),
  },
  {
    route: 'POST /v1/usage',
    name: 'an empty batch',
    status: 422,
    send: (c) => api(c).post('/v1/usage').set('Authorization', serverAuth).send({ events: [] }),
  },
  {
    route: 'GET /v1/entitlements',
    name: 'every feature',
    status: 200,
    send: (c) =>
      api(c)
        .get('/v1/entitlements')
        .set('Authorization', bearer(userToken('acct_contract'))),
  },
  {
    route: 'GET /v1/entitlements',
    name: 'unknown account',
    status: 404,
    send: (c) =>
      api(c)
        .get('/v1/entitlements')
        .set('Authorization', bearer(userToken('acct_nobody'))),
  },
  {
    route: 'GET /v1/entitlements/snapshot',
    name: 'a signed snapshot',
    status: 200,
    send: (c) => api(c).get('/v1/entitlements/snapshot?account_id=acct_contract').set('Authorization', serverAuth),
  },
  {
    route: 'GET /v1/entitlements/snapshot',
    name: 'unknown account',
    status: 404,
    send: (c) => api(c).get('/v1/entitlements/snapshot?account_id=acct_nobody').set('Authorization', serverAuth),
  },
  {
    route: 'GET /v1/entitlements/stream',
    name: 'the first event (the stream is cut after it)',
    status: 200,
    send: (c) =>
      api(c)
        .get('/v1/entitlements/stream')
        .set('Authorization', serverAuth)
        .buffer(true)
        .parse((res, done) => {
          // NOTE: superagent's Response takes `text` from the message; the stream never ends by itself.
          const message = res as unknown as NodeJS.ReadableStream & { text?: string; destroy(): void };
          message.text = '';
          message.on('data', (chunk: Buffer) => {
            message.text += chunk.toString('utf8');
            if (message.text?.includes('event: ')) {
              done(null, message.text);
              message.destroy();
            }
          });
        }),
  },
  {
    route: 'GET /v1/entitlements/{feature}',
    name: 'metered, over the limit: an upgrade',
    status: 200,
    send: (c) =>
      api(c)
        .get('/v1/entitlements/projects?quantity=50')
        .set('Authorization', bearer(userToken('acct_contract'))),
  },
  {
    route: 'GET /v1/entitlements/{feature}',
    name: 'boolean',
    status: 200,
    send: (c) => api(c).get('/v1/entitlements/sso').set('Authorization', c.paid.auth()),
  },
  {
    route: 'GET /v1/entitlements/{feature}',
    name: 'unknown feature',
    status: 404,
    send: (c) => api(c).get('/v1/entitlements/no_such_feature').set('Authorization', c.paid.auth()),
  },
  {
    route: 'GET /admin/v1/accounts/{id}/usage',
    name: 'the report',
    status: 200,
    send: (c) => api(c).get('/admin/v1/accounts/acct_contract/usage').set('Authorization', adminAuth),
  },
  {
    route: 'GET /admin/v1/accounts/{id}/usage',
    name: 'unknown',
    status: 404,
    send: (c) => api(c).get('/admin/v1/accounts/acct_nobody/usage').set('Authorization', adminAuth),
  },

  // Offers
  {
    route: 'GET /v1/prompts',
    name: 'on the dashboard',
    status: 200,
    send: (c) =>
      api(c)
        .get('/v1/prompts?placement=dashboard')
        .set('Authorization', bearer(userToken('acct_contract'))),
    after: (c, res) => {
      if (res.body.data?.[0]?.id) c.state.promptId = res.body.data[0].id;
    },
  },
  {
    route: 'GET /v1/prompts',
    name: 'for a member at a feature gate',
    status: 200,
    send: (c) =>
      api(c)
        .get('/v1/prompts?placement=feature_gate&feature=sso')
        .set('Authorization', bearer(userToken('acct_contract', 'member'))),
  },
  {
    route: 'GET /v1/prompts',
    name: 'a feature gate without the feature',
    status: 422,
    send: (c) => api(c).get('/v1/prompts?placement=feature_gate').set('Authorization', c.paid.auth()),
  },
  {
    route: 'POST /v1/prompts/{id}/events',
    name: 'an impression',
    status: 200,
    send: (c) =>
      api(c)
        .post(`/v1/prompts/${c.state.promptId ?? 'prm_missing'}/events`)
        .set('Authorization', bearer(userToken('acct_contract')))
        .send({ type: 'impression' }),
  },
  {
    route: 'POST /v1/prompts/{id}/events',
    name: 'an unknown prompt',
    status: 404,
    send: (c) =>
      api(c)
        .post('/v1/prompts/prm_000000000000000000000000/events')
        .set('Authorization', c.paid.auth())
        .send({ type: 'click' }),
  },
  {
    route: 'GET /admin/v1/offers',
    name: 'the rules',
    status: 200,
    send: (c) => api(c).get('/admin/v1/offers').set('Authorization', adminAuth),
    after: (c, res) => {
      c.state.rule = JSON.stringify(res.body.data[0]);
    },
  },
  {
    route: 'GET /admin/v1/offers/{id}',
    name: 'one rule',
    status: 200,
    send: (c) =>
      api(c)
        .get(`/admin/v1/offers/${JSON.parse(c.state.rule ?? '{}').id}`)
        .set('Authorization', adminAuth),
  },
  {
    route: 'GET /admin/v1/offers/{id}',
    name: 'unknown',
    status: 404,
    send: (c) => api(c).get('/admin/v1/offers/no_such_rule').set('Authorization', adminAuth),
  },
  {
    route: 'POST /admin/v1/offers',
    name: 'a copy of a rule',
    status: 201,
    send: (c) =>
      api(c)
        .post('/admin/v1/offers')
        .set('Authorization', adminAuth)
        .send({ ...JSON.parse(c.state.rule ?? '{}'), id: 'contract_copy', enabled: false }),
  },
  {
    route: 'POST /admin/v1/offers',
    name: 'the same id again',
    status: 409,
    send: (c) =>
      api(c)
        .post('/admin/v1/offers')
        .set('Authorization', adminAuth)
        .send({ ...JSON.parse(c.state.rule ?? '{}'), id: 'contract_copy', enabled: false }),
  },
  {
    route: 'POST /admin/v1/offers',
    name: 'an invalid rule',
    status: 422,
    send: (c) => api(c).post('/admin/v1/offers').set('Authorization', adminAuth).send({ id: 'broken' }),
  },
  {
    route: 'PUT /admin/v1/offers/{id}',
    name: 'replaces',
    status: 200,
    send: (c) =>
      api(c)
        .put('/admin/v1/offers/contract_copy')
        .set('Authorization', adminAuth)
        .send({ ...JSON.parse(c.state.rule ?? '{}'), id: undefined, enabled: false, priority: 1 }),
  },
  {
    route: 'PUT /admin/v1/offers/{id}',
    name: 'creates',
    status: 201,
    send: (c) =>
      api(c)
        .put('/admin/v1/offers/contract_new')
        .set('Authorization', adminAuth)
        .send({ ...JSON.parse(c.state.rule ?? '{}'), id: 'contract_new', enabled: false }),
  },
  {
    route: 'DELETE /admin/v1/offers/{id}',
    name: 'deletes',
    status: 204,
    send: (c) => api(c).delete('/admin/v1/offers/contract_new').set('Authorization', adminAuth),
  },
  {
    route: 'DELETE /admin/v1/offers/{id}',
    name: 'unknown',
    status: 404,
    send: (c) => api(c).delete('/admin/v1/offers/contract_new').set('Authorization', adminAuth),
  },
  {
    route: 'PUT /admin/v1/offers/{id}/copy/{locale}',
    name: 'saves German copy',
    status: 200,
    send: (c) =>
      api(c)
        .put('/admin/v1/offers/contract_copy/copy/de')
        .set('Authorization', adminAuth)
        .send({ title: '{target} für Sie' }),
  },
  {
    route: 'PUT /admin/v1/offers/{id}/copy/{locale}',
    name: 'an argument the prompt does not give',
    status: 422,
    send: (c) =>
      api(c).put('/admin/v1/offers/contract_copy/copy/de').set('Authorization', adminAuth).send({ title: '{nope}' }),
  },
  {
    route: 'PUT /admin/v1/offers/{id}/copy/{locale}',
    name: 'unknown rule',
    status: 404,
    send: (c) =>
      api(c).put('/admin/v1/offers/no_such_rule/copy/de').set('Authorization', adminAuth).send({ title: 'x' }),
  },
  {
    route: 'GET /admin/v1/offers/{id}/copy',
    name: 'the saved copy',
    status: 200,
    send: (c) => api(c).get('/admin/v1/offers/contract_copy/copy').set('Authorization', adminAuth),
  },
  {
    route: 'GET /admin/v1/offers/{id}/copy',
    name: 'unknown',
    status: 404,
    send: (c) => api(c).get('/admin/v1/offers/no_such_rule/copy').set('Authorization', adminAuth),
  },
  {
    route: 'POST /admin/v1/offers/{id}/preview',
    name: 'a draft',
    status: 200,
    send: (c) =>
      api(c)
        .post('/admin/v1/offers/contract_copy/preview')
        .set('Authorization', adminAuth)
        .send({ locale: 'de', copy: { cta: 'Jetzt {target}' } }),
  },
  {
    route: 'POST /admin/v1/offers/{id}/preview',
    name: 'a draft that does not compile',
    status: 422,
    send: (c) =>
      api(c)
        .post('/admin/v1/offers/contract_copy/preview')
        .set('Authorization', adminAuth)
        .send({ locale: 'de', copy: { body: '{target' } }),
  },
  {
    route: 'POST /admin/v1/offers/{id}/preview',
    name: 'unknown',
    status: 404,
    send: (c) =>
      api(c).post('/admin/v1/offers/no_such_rule/preview').set('Authorization', adminAuth).send({ locale: 'de' }),
  },
  {
    route: 'DELETE /admin/v1/offers/{id}/copy/{locale}',
    name: 'resets',
    status: 200,
    send: (c) => api(c).delete('/admin/v1/offers/contract_copy/copy/de').set('Authorization', adminAuth),
  },
  {
    route: 'DELETE /admin/v1/offers/{id}/copy/{locale}',
    name: 'a locale without copy',
    status: 422,
    send: (c) => api(c).delete('/admin/v1/offers/contract_copy/copy/xx').set('Authorization', adminAuth),
  },
  {
    route: 'DELETE /admin/v1/offers/{id}/copy/{locale}',
    name: 'unknown',
    status: 404,
    send: (c) => api(c).delete('/admin/v1/offers/no_such_rule/copy/de').set('Authorization', adminAuth),
  },

  // Billing
  {
    route: 'POST /v1/quotes',
    name: 'an upgrade',
    status: 201,
    send: (c) => api(c).post('/v1/quotes').set('Authorization', c.paid.auth()).send({ plan: 'premium' }),
    after: (c, res) => {
      c.state.upgradeQuote = res.body.id;
    },
  },
  {
    route: 'POST /v1/quotes',
    name: 'a member may ask',
    status: 201,
    send: (c) =>
      api(c)
        .post('/v1/quotes')
        .set('Authorization', c.paid.auth('member'))
        .send({ add_ons: [{ code: 'extra_seats', quantity: 2 }] }),
    after: (c, res) => {
      c.state.memberQuote = res.body.id;
    },
  },
  {
    route: 'POST /v1/quotes',
    name: 'a bundle, with its discount terms',
    status: 201,
    send: (c) =>
      api(c).post('/v1/quotes').set('Authorization', c.guaranteed.auth()).send({ bundle: 'premium_training' }),
  },
  {
    route: 'POST /v1/quotes',
    name: 'an unknown plan',
    status: 422,
    send: (c) => api(c).post('/v1/quotes').set('Authorization', c.paid.auth()).send({ plan: 'platinum' }),
  },
  {
    route: 'POST /v1/changes',
    name: 'no Idempotency-Key',
    status: 400,
    send: (c) =>
      api(c).post('/v1/changes').set('Authorization', c.paid.auth()).send({ quote_id: c.state.upgradeQuote }),
  },
  {
    route: 'POST /v1/changes',
    name: 'a member may not buy',
    status: 403,
    send: (c) => postChange(c, c.state.memberQuote, c.paid.auth('member')),
  },
  {
    route: 'POST /v1/changes',
    name: 'the upgrade, paid',
    status: 200,
    send: (c) => postChange(c, c.state.upgradeQuote, c.paid.auth()),
    after: (c, res) => {
      c.state.upgradeChange = res.body.operation_id;
    },
  },
  {
    route: 'POST /v1/changes',
    name: 'the same quote again',
    status: 409,
    send: (c) => postChange(c, c.state.upgradeQuote, c.paid.auth()),
  },
  {
    route: 'POST /v1/changes',
    name: 'an unknown quote',
    status: 404,
    send: (c) => postChange(c, 'quo_nothing', c.paid.auth()),
  },
  {
    route: 'GET /v1/changes/{id}',
    name: 'the upgrade',
    status: 200,
    send: (c) => api(c).get(`/v1/changes/${c.state.upgradeChange}`).set('Authorization', c.paid.auth()),
  },
  {
    route: 'GET /v1/changes/{id}',
    name: "another account's",
    status: 404,
    send: (c) => api(c).get(`/v1/changes/${c.state.upgradeChange}`).set('Authorization', c.guaranteed.auth()),
  },
  {
    route: 'POST /v1/quotes',
    name: 'a downgrade',
    status: 201,
    send: (c) => api(c).post('/v1/quotes').set('Authorization', c.paid.auth()).send({ plan: 'pro' }),
    after: (c, res) => {
      c.state.downgradeQuote = res.body.id;
    },
  },
  {
    route: 'POST /v1/changes',
    name: 'the downgrade, scheduled',
    status: 200,
    send: (c) => postChange(c, c.state.downgradeQuote, c.paid.auth()),
    after: (c, res) => {
      c.state.downgradeChange = res.body.operation_id;
    },
  },
  {
    route: 'GET /v1/account',
    name: 'with a pending change',
    status: 200,
    send: (c) => api(c).get('/v1/account').set('Authorization', c.paid.auth()),
  },
  {
    route: 'POST /v1/changes/{id}/cancel',
    name: 'not a scheduled downgrade',
    status: 409,
    send: (c) => api(c).post(`/v1/changes/${c.state.upgradeChange}/cancel`).set('Authorization', c.paid.auth()),
  },
  {
    route: 'POST /v1/changes/{id}/cancel',
    name: 'the scheduled downgrade',
    status: 200,
    send: (c) =>
      api(c)
        .post(`/v1/changes/${c.state.downgradeChange}/cancel`)
        .set('Authorization', c.paid.auth())
        .set('Idempotency-Key', key()),
  },
  {
    route: 'GET /admin/v1/analytics/lifecycle',
    name: 'conversion, reasons and saves',
    status: 200,
    send: (c) =>
      api(c)
        .get(`/admin/v1/analytics/lifecycle?from=2020-01-01T00:00:00Z&to=${iso(Date.now() + 24 * HOUR)}`)
        .set('Authorization', adminAuth),
  },
  {
    route: 'GET /v1/lifecycle/prompts',
    name: 'none while subscribed',
    status: 200,
    send: (c) => api(c).get('/v1/lifecycle/prompts').set('Authorization', c.paid.auth()),
  },
  {
    route: 'GET /v1/subscription/cancel-preview',
    name: 'what cancelling does and the alternatives',
    status: 200,
    send: (c) => api(c).get('/v1/subscription/cancel-preview').set('Authorization', c.paid.auth()),
  },
  {
    route: 'POST /v1/subscription/cancel',
    name: 'with a reason',
    status: 200,
    send: (c) =>
      postKeyed(c, '/v1/subscription/cancel', c.paid.auth(), { reason: 'not_using', reason_text: 'Project ended' }),
  },
  {
    route: 'POST /v1/subscription/cancel',
    name: 'at the period end',
    status: 200,
    send: (c) => postKeyed(c, '/v1/subscription/cancel', c.paid.auth(), { at_period_end: true }),
  },
  {
    route: 'POST /v1/subscription/cancel',
    name: 'a member may not',
    status: 403,
    send: (c) =>
      api(c).post('/v1/subscription/cancel').set('Authorization', c.paid.auth('member')).set('Idempotency-Key', key()),
  },
  {
    route: 'POST /v1/subscription/resume',
    name: 'taken back',
    status: 200,
    send: (c) =>
      api(c).post('/v1/subscription/resume').set('Authorization', c.paid.auth()).set('Idempotency-Key', key()),
  },
  {
    route: 'POST /v1/subscription/resume',
    name: 'no subscription',
    status: 404,
    send: (c) =>
      api(c)
        .post('/v1/subscription/resume')
        .set('Authorization', bearer(userToken('acct_contract')))
        .set('Idempotency-Key', key()),
  },

  // Guarantees
  {
    route: 'GET /v1/refunds/eligibility',
    name: 'purchases under guarantee',
    status: 200,
    // NOTE: the guarantee window runs from the (test-clock) payment: the service's clock follows it.
    before: (c) => {
      const paidAt = Date.parse(c.state.paidAt ?? '');
      realNow = c.h.services.clock.now;
      c.h.services.clock.now = () => new Date(paidAt + HOUR);
    },
    send: (c) => api(c).get('/v1/refunds/eligibility').set('Authorization', c.guaranteed.auth()),
  },
  {
    route: 'POST /v1/refunds',
    name: 'the add-on, refunded',
    status: 200,
    send: (c) =>
      postKeyed(c, '/v1/refunds', c.guaranteed.auth(), {
        purchase_id: c.state.addOnPurchase,
        reason: 'not what we needed',
      }),
  },
  {
    route: 'POST /v1/refunds',
    name: 'the same purchase again',
    status: 422,
    send: (c) =>
      postKeyed(c, '/v1/refunds', c.guaranteed.auth(), { purchase_id: c.state.addOnPurchase, reason: 'again' }),
  },
  {
    route: 'POST /v1/refunds',
    name: 'a member may not',
    status: 403,
    send: (c) =>
      postKeyed(c, '/v1/refunds', c.guaranteed.auth('member'), { purchase_id: c.state.trainingPurchase, reason: 'no' }),
  },
  {
    route: 'PUT /v1/accounts/{account_id}/trainings/{code}',
    name: 'the start date',
    status: 200,
    send: (c) =>
      api(c)
        .put(`/v1/accounts/${c.guaranteed.accountId}/trainings/training_agency`)
        .set('Authorization', serverAuth)
        .send({ starts_at: iso(Date.now() + 30 * 24 * HOUR) }),
  },
  {
    route: 'PUT /v1/accounts/{account_id}/trainings/{code}',
    name: 'no such training bought',
    status: 404,
    send: (c) =>
      api(c)
        .put(`/v1/accounts/${c.guaranteed.accountId}/trainings/training_construction`)
        .set('Authorization', adminAuth)
        .send({ starts_at: iso(Date.now()) }),
  },
  {
    route: 'GET /admin/v1/guarantees/policies',
    name: 'the policies',
    status: 200,
    send: (c) => api(c).get('/admin/v1/guarantees/policies').set('Authorization', adminAuth),
  },
  {
    route: 'POST /admin/v1/refunds',
    name: 'an operator refund outside the policy',
    status: 200,
    send: (c) =>
      api(c)
        .post('/admin/v1/refunds')
        .set('Authorization', adminAuth)
        .send({ purchase_id: c.state.trainingPurchase, reason: 'goodwill', outside_policy: true, reverse: false }),
  },
  {
    route: 'POST /admin/v1/refunds',
    name: 'an unknown purchase',
    status: 404,
    send: (c) =>
      api(c).post('/admin/v1/refunds').set('Authorization', adminAuth).send({ purchase_id: 'pur_none', reason: 'x' }),
  },
  {
    route: 'GET /admin/v1/refunds',
    name: 'the refunds',
    status: 200,
    send: (c) => api(c).get(`/admin/v1/refunds?account_id=${c.guaranteed.accountId}`).set('Authorization', adminAuth),
  },
  {
    route: 'GET /v1/account',
    name: 'with refunds',
    status: 200,
    send: (c) => api(c).get('/v1/account').set('Authorization', c.guaranteed.auth()),
    after: (c) => {
      if (realNow) c.h.services.clock.now = realNow;
    },
  },

  // Experiments
  {
    route: 'POST /admin/v1/experiments',
    name: 'a draft',
    status: 201,
    send: (c) => api(c).post('/admin/v1/experiments').set('Authorization', adminAuth).send(experiment('contract_exp')),
  },
  {
    route: 'POST /admin/v1/experiments',
    name: 'an unknown rule',
    status: 422,
    send: (c) =>
      api(c)
        .post('/admin/v1/experiments')
        .set('Authorization', adminAuth)
        .send(experiment('contract_bad', { rule_id: 'no_such_rule' })),
  },
  {
    route: 'POST /admin/v1/experiments',
    name: 'a second draft',
    status: 201,
    send: (c) => api(c).post('/admin/v1/experiments').set('Authorization', adminAuth).send(experiment('contract_drop')),
  },
  {
    route: 'GET /admin/v1/experiments',
    name: 'all',
    status: 200,
    send: (c) => api(c).get('/admin/v1/experiments').set('Authorization', adminAuth),
  },
  {
    route: 'GET /admin/v1/experiments/{key}',
    name: 'one',
    status: 200,
    send: (c) => api(c).get('/admin/v1/experiments/contract_exp').set('Authorization', adminAuth),
  },
  {
    route: 'GET /admin/v1/experiments/{key}',
    name: 'unknown',
    status: 404,
    send: (c) => api(c).get('/admin/v1/experiments/no_such_exp').set('Authorization', adminAuth),
  },
  {
    route: 'PUT /admin/v1/experiments/{key}',
    name: 'replaces the draft',
    status: 200,
    send: (c) =>
      api(c)
        .put('/admin/v1/experiments/contract_exp')
        .set('Authorization', adminAuth)
        .send(experiment('contract_exp', { holdout: 0.1 })),
  },
  {
    route: 'DELETE /admin/v1/experiments/{key}',
    name: 'a draft',
    status: 200,
    send: (c) => api(c).delete('/admin/v1/experiments/contract_drop').set('Authorization', adminAuth),
  },
  {
    route: 'POST /admin/v1/experiments/{key}/start',
    name: 'starts',
    status: 200,
    send: (c) => api(c).post('/admin/v1/experiments/contract_exp/start').set('Authorization', adminAuth),
  },
  {
    route: 'POST /admin/v1/experiments/{key}/start',
    name: 'already started',
    status: 409,
    send: (c) => api(c).post('/admin/v1/experiments/contract_exp/start').set('Authorization', adminAuth),
  },
  {
    route: 'PUT /admin/v1/experiments/{key}',
    name: 'started: frozen',
    status: 409,
    send: (c) =>
      api(c).put('/admin/v1/experiments/contract_exp').set('Authorization', adminAuth).send(experiment('contract_exp')),
  },
  {
    route: 'DELETE /admin/v1/experiments/{key}',
    name: 'started: stop it instead',
    status: 409,
    send: (c) => api(c).delete('/admin/v1/experiments/contract_exp').set('Authorization', adminAuth),
  },
  {
    route: 'GET /v1/prompts',
    name: 'with an experiment running',
    status: 200,
    send: (c) =>
      api(c)
        .get('/v1/prompts?placement=dashboard')
        .set('Authorization', bearer(userToken('acct_contract'))),
  },
  {
    route: 'GET /admin/v1/experiments/{key}/results',
    name: 'the results',
    status: 200,
    send: (c) => api(c).get('/admin/v1/experiments/contract_exp/results').set('Authorization', adminAuth),
  },
  {
    route: 'POST /admin/v1/experiments/{key}/stop',
    name: 'stops',
    status: 200,
    send: (c) => api(c).post('/admin/v1/experiments/contract_exp/stop').set('Authorization', adminAuth),
  },
  {
    route: 'POST /admin/v1/experiments/{key}/stop',
    name: 'not running',
    status: 409,
    send: (c) => api(c).post('/admin/v1/experiments/contract_exp/stop').set('Authorization', adminAuth),
  },
  {
    route: 'POST /admin/v1/experiments/{key}/winner',
    name: 'an unknown variant',
    status: 422,
    send: (c) =>
      api(c).post('/admin/v1/experiments/contract_exp/winner').set('Authorization', adminAuth).send({ variant: 'zz' }),
  },
  {
    route: 'POST /admin/v1/experiments/{key}/winner',
    name: 'b wins',
    status: 201,
    send: (c) =>
      api(c).post('/admin/v1/experiments/contract_exp/winner').set('Authorization', adminAuth).send({ variant: 'b' }),
  },
  {
    route: 'POST /admin/v1/experiments/{key}/winner',
    name: 'decided already',
    status: 409,
    send: (c) =>
      api(c).post('/admin/v1/experiments/contract_exp/winner').set('Authorization', adminAuth).send({ variant: 'a' }),
  },
  {
    route: 'POST /admin/v1/experiments/{key}/winner',
    name: 'unknown experiment',
    status: 404,
    send: (c) =>
      api(c).post('/admin/v1/experiments/no_such_exp/winner').set('Authorization', adminAuth).send({ variant: 'a' }),
  },

  // Analytics
  {
    route: 'GET /admin/v1/analytics/funnel',
    name: 'by offer',
    status: 200,
    send: (c) =>
      api(c)
        .get(`/admin/v1/analytics/funnel?from=2020-01-01T00:00:00Z&to=${iso(Date.now() + 24 * HOUR)}`)
        .set('Authorization', adminAuth),
  },
  {
    route: 'GET /admin/v1/analytics/funnel',
    name: 'by period, weekly',
    status: 200,
    send: (c) =>
      api(c)
        .get(
          `/admin/v1/analytics/funnel?from=2020-01-01T00:00:00Z&to=${iso(Date.now() + 24 * HOUR)}&group_by=period&interval=week`,
        )
        .set('Authorization', adminAuth),
  },
  {
    route: 'GET /admin/v1/analytics/funnel',
    name: 'to before from',
    status: 422,
    send: (c) =>
      api(c)
        .get('/admin/v1/analytics/funnel?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z')
        .set('Authorization', adminAuth),
  },
  {
    route: 'GET /admin/v1/analytics/revenue',
    name: 'the report',
    status: 200,
    send: (c) =>
      api(c)
        .get(`/admin/v1/analytics/revenue?from=2020-01-01T00:00:00Z&to=${iso(Date.now() + 24 * HOUR)}&gross_margin=0.8`)
        .set('Authorization', adminAuth),
  },

  // Webhooks
  {
    route: 'POST /webhooks/stripe',
    name: 'a signed event',
    status: 200,
    send: (c) => signedEvent(c),
    after: (c, res) => {
      c.state.eventId = res.body.id;
    },
  },
  {
    route: 'POST /webhooks/stripe',
    name: 'the same event again',
    status: 200,
    send: (c) => signedEvent(c),
  },
  {
    route: 'POST /webhooks/stripe',
    name: 'a bad signature',
    status: 400,
    send: (c) =>
      api(c)
        .post('/webhooks/stripe')
        .set('Stripe-Signature', 't=1,v1=00')
        .set('Content-Type', 'application/json')
        .send('{"id":"evt_1","object":"event","type":"ping"}'),
  },
  {
    route: 'GET /admin/v1/webhook-events',
    name: 'the inbox',
    status: 200,
    send: (c) => api(c).get('/admin/v1/webhook-events?limit=5').set('Authorization', adminAuth),
  },
  {
    route: 'GET /admin/v1/webhook-events/{id}',
    name: 'one event',
    status: 200,
    send: (c) => api(c).get(`/admin/v1/webhook-events/${c.state.eventId}`).set('Authorization', adminAuth),
  },
  {
    route: 'GET /admin/v1/webhook-events/{id}',
    name: 'unknown',
    status: 404,
    send: (c) => api(c).get('/admin/v1/webhook-events/evt_none').set('Authorization', adminAuth),
  },
  {
    route: 'POST /admin/v1/webhook-events/{id}/replay',
    name: 'replays',
    status: 200,
    send: (c) =>
      api(c).post(`/admin/v1/webhook-events/${c.state.eventId}/replay`).set('Authorization', adminAuth).send({}),
  },
  {
    route: 'POST /admin/v1/webhook-events/{id}/replay',
    name: 'unknown',
    status: 404,
    send: (c) => api(c).post('/admin/v1/webhook-events/evt_none/replay').set('Authorization', adminAuth).send({}),
  },
  {
    route: 'POST /admin/v1/reconciliations',
    name: 'a run',
    status: 201,
    send: (c) => api(c).post('/admin/v1/reconciliations').set('Authorization', adminAuth).send({}),
  },
  {
    route: 'GET /admin/v1/reconciliations',
    name: 'the runs',
    status: 200,
    send: (c) => api(c).get('/admin/v1/reconciliations').set('Authorization', adminAuth),
  },
  {
    route: 'GET /admin/v1/reconciliations',
    name: 'a bad cursor',
    status: 422,
    send: (c) => api(c).get('/admin/v1/reconciliations?starting_after=x').set('Authorization', adminAuth),
  },

  {
    route: 'GET /admin/v1/clock',
    name: "the service's now",
    status: 200,
    send: (c) => api(c).get('/admin/v1/clock').set('Authorization', adminAuth),
  },
  {
    route: 'GET /admin/v1/clock',
    name: 'an unknown parameter',
    status: 422,
    send: (c) => api(c).get('/admin/v1/clock?tz=Europe/Paris').set('Authorization', adminAuth),
  },
  {
    route: 'POST /admin/v1/webhook-events/replay',
    name: 'a range',
    status: 200,
    send: (c) =>
      api(c)
        .post('/admin/v1/webhook-events/replay')
        .set('Authorization', adminAuth)
        .send({ from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' }),
  },
  {
    route: 'POST /admin/v1/webhook-events/replay',
    name: 'backwards',
    status: 422,
    send: (c) =>
      api(c)
        .post('/admin/v1/webhook-events/replay')
        .set('Authorization', adminAuth)
        .send({ from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }),
  },

  // Customer 360
  {
    route: 'GET /admin/v1/customers',
    name: 'by e-mail',
    status: 200,
    send: (c) => api(c).get('/admin/v1/customers').query({ q: '@example.com' }).set('Authorization', adminAuth),
  },
  {
    route: 'GET /admin/v1/customers',
    name: 'no text',
    status: 422,
    send: (c) => api(c).get('/admin/v1/customers?q=').set('Authorization', adminAuth),
  },
  {
    route: 'GET /admin/v1/customers/{id}',
    name: 'a timeline',
    status: 200,
    send: (c) => api(c).get(`/admin/v1/customers/${c.paid.accountId}`).set('Authorization', adminAuth),
  },
  {
    route: 'GET /admin/v1/customers/{id}',
    name: 'unknown',
    status: 404,
    send: (c) => api(c).get('/admin/v1/customers/acct_nobody').set('Authorization', adminAuth),
  },
  {
    route: 'POST /admin/v1/customers/{id}/cancel',
    name: 'at period end',
    status: 200,
    send: (c) => api(c).post(`/admin/v1/customers/${c.paid.accountId}/cancel`).set('Authorization', adminAuth).send({}),
  },
  {
    route: 'POST /admin/v1/customers/{id}/cancel',
    name: 'unknown',
    status: 404,
    send: (c) => api(c).post('/admin/v1/customers/acct_nobody/cancel').set('Authorization', adminAuth).send({}),
  },
  {
    route: 'POST /admin/v1/customers/{id}/resume',
    name: 'taken back',
    status: 200,
    send: (c) => api(c).post(`/admin/v1/customers/${c.paid.accountId}/resume`).set('Authorization', adminAuth).send({}),
  },
  {
    route: 'POST /admin/v1/customers/{id}/credits',
    name: 'a goodwill credit',
    status: 200,
    send: (c) =>
      api(c)
        .post(`/admin/v1/customers/${c.paid.accountId}/credits`)
        .set('Authorization', adminAuth)
        .send({ amount: 300, currency: 'usd', reason: 'Outage' }),
    after: async (c) => {
      const [invoice] = (await c.h.stripe.invoices.list({ customer: c.paid.customerId, limit: 1 })).data;
      c.state.invoiceId = invoice!.id;
      c.state.trialAccountId = await trialingAccount(c);
    },
  },
  {
    route: 'POST /admin/v1/customers/{id}/credits',
    name: 'another currency',
    status: 422,
    send: (c) =>
      api(c)
        .post(`/admin/v1/customers/${c.paid.accountId}/credits`)
        .set('Authorization', adminAuth)
        .send({ amount: 300, currency: 'eur', reason: 'Outage' }),
  },
  {
    route: 'POST /admin/v1/customers/{id}/invoices/{invoice_id}/send',
    name: 'a receipt again',
    status: 200,
    send: (c) =>
      api(c)
        .post(`/admin/v1/customers/${c.paid.accountId}/invoices/${c.state.invoiceId}/send`)
        .set('Authorization', adminAuth)
        .send({}),
  },
  {
    route: 'POST /admin/v1/customers/{id}/invoices/{invoice_id}/send',
    name: "another customer's",
    status: 404,
    send: (c) =>
      api(c)
        .post(`/admin/v1/customers/${c.guaranteed.accountId}/invoices/${c.state.invoiceId}/send`)
        .set('Authorization', adminAuth)
        .send({}),
  },
  {
    route: 'POST /admin/v1/customers/{id}/trial',
    name: 'a week more',
    status: 200,
    send: (c) =>
      api(c)
        .post(`/admin/v1/customers/${c.state.trialAccountId}/trial`)
        .set('Authorization', adminAuth)
        .send({ trial_end: iso((TRIAL_START + 21 * 86_400) * 1000) }),
  },
  {
    route: 'POST /admin/v1/customers/{id}/trial',
    name: 'not trialing',
    status: 409,
    send: (c) =>
      api(c)
        .post(`/admin/v1/customers/${c.paid.accountId}/trial`)
        .set('Authorization', adminAuth)
        .send({ trial_end: iso((TRIAL_START + 21 * 86_400) * 1000) }),
  },
  // Operator keys and the audit log
  {
    route: 'GET /admin/v1/operators/me',
    name: 'the root key',
    status: 200,
    send: (c) => api(c).get('/admin/v1/operators/me').set('Authorization', adminAuth),
  },
  {
    route: 'POST /admin/v1/operators',
    name: 'a viewer key',
    status: 201,
    send: (c) =>
      api(c).post('/admin/v1/operators').set('Authorization', adminAuth).send({ name: 'Vi', role: 'viewer' }),
    after: (c, res) => {
      c.state.operatorId = res.body.id;
      c.state.viewerKey = res.body.key;
    },
  },
  {
    route: 'POST /admin/v1/operators',
    name: 'an unknown role',
    status: 422,
    send: (c) => api(c).post('/admin/v1/operators').set('Authorization', adminAuth).send({ name: 'x', role: 'god' }),
  },
  {
    route: 'GET /admin/v1/operators',
    name: 'the keys',
    status: 200,
    send: (c) => api(c).get('/admin/v1/operators').set('Authorization', adminAuth),
  },
  {
    route: 'GET /admin/v1/operators',
    name: 'a viewer, not an owner',
    status: 403,
    send: (c) =>
      api(c)
        .get('/admin/v1/operators')
        .set('Authorization', bearer(c.state.viewerKey ?? '')),
  },
  {
    route: 'PATCH /admin/v1/operators/{id}',
    name: 'to operator',
    status: 200,
    send: (c) =>
      api(c)
        .patch(`/admin/v1/operators/${c.state.operatorId}`)
        .set('Authorization', adminAuth)
        .send({ role: 'operator' }),
  },
  {
    route: 'PATCH /admin/v1/operators/{id}',
    name: 'unknown',
    status: 404,
    send: (c) =>
      api(c)
        .patch('/admin/v1/operators/op_nosuchkey0000000000')
        .set('Authorization', adminAuth)
        .send({ role: 'owner' }),
  },
  {
    route: 'DELETE /admin/v1/operators/{id}',
    name: 'revoked',
    status: 200,
    send: (c) => api(c).delete(`/admin/v1/operators/${c.state.operatorId}`).set('Authorization', adminAuth),
  },
  {
    route: 'DELETE /admin/v1/operators/{id}',
    name: 'already revoked',
    status: 404,
    send: (c) => api(c).delete(`/admin/v1/operators/${c.state.operatorId}`).set('Authorization', adminAuth),
  },
  {
    route: 'GET /admin/v1/audit-log',
    name: 'the entries',
    status: 200,
    send: (c) => api(c).get('/admin/v1/audit-log?limit=20').set('Authorization', adminAuth),
  },
  {
    route: 'GET /admin/v1/audit-log',
    name: 'a range backwards',
    status: 422,
    send: (c) =>
      api(c)
        .get('/admin/v1/audit-log?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z')
        .set('Authorization', adminAuth),
  },

  // The demo's local-only helpers (last: the clock row moves the service's clock)
  {
    route: 'GET /demo/api/session',
    name: 'a member in German',
    status: 200,
    send: (c) => api(c).get('/demo/api/session?role=member&locale=de-DE'),
  },
  {
    route: 'GET /demo/api/session',
    name: 'an unknown role',
    status: 422,
    send: (c) => api(c).get('/demo/api/session?role=root'),
  },
  {
    route: 'POST /demo/api/usage',
    name: 'one more project',
    status: 200,
    send: (c) => api(c).post('/demo/api/usage').send({ feature: 'projects', quantity: 1 }),
  },
  {
    route: 'POST /demo/api/usage',
    name: 'an unknown feature',
    status: 422,
    send: (c) => api(c).post('/demo/api/usage').send({ feature: 'nope', quantity: 1 }),
  },
  { route: 'GET /demo/api/clock', name: 'the clock', status: 200, send: (c) => api(c).get('/demo/api/clock') },
  {
    route: 'POST /demo/api/settle',
    name: 'the janitor, now',
    status: 200,
    send: (c) => api(c).post('/demo/api/settle').send({}),
  },
  {
    route: 'POST /demo/api/clock',
    name: 'a week ahead',
    status: 200,
    send: (c) => api(c).post('/demo/api/clock').send({ days: 7 }),
  },
  ...eventEndpointScenarios,
  // last: an open setup Checkout holds the account's billing lane until the customer comes back
  {
    route: 'POST /v1/payment-method/sessions',
    name: 'a member may not replace the card',
    status: 403,
    send: (c) => api(c).post('/v1/payment-method/sessions').set('Authorization', c.paid.auth('member')).send({}),
  },
  {
    route: 'POST /v1/payment-method/sessions',
    name: 'a return URL on another origin',
    status: 422,
    send: (c) =>
      api(c)
        .post('/v1/payment-method/sessions')
        .set('Authorization', c.paid.auth())
        .send({ return_url: 'https://evil.example.com/billing' }),
  },
  {
    route: 'POST /v1/payment-method/sessions',
    name: 'the owner opens Checkout in setup mode',
    status: 201,
    send: (c) =>
      api(c)
        .post('/v1/payment-method/sessions')
        .set('Authorization', c.paid.auth())
        .send({ return_url: 'http://localhost:4000/billing' }),
  },
];

/** The newest event the emulator holds, signed as Stripe would. */
function signedEvent(c: ScenarioContext): request.Test {
  const payload = c.state.eventPayload ?? '';
  const header = signer.webhooks.generateTestHeaderString({
    payload,
    secret: testConfig().stripe.webhookSecret,
    timestamp: Math.floor(Date.now() / 1000),
  });
  return api(c)
    .post('/webhooks/stripe')
    .set('Stripe-Signature', header)
    .set('Content-Type', 'application/json')
    .send(payload);
}

/** What signedEvent sends: read once from the emulator before the rows run. */
export async function loadEvent(c: ScenarioContext): Promise<void> {
  const { data } = await c.h.stripe.events.list({ limit: 1 });
  if (!data[0]) throw new Error('the emulator holds no event');
  c.state.eventPayload = JSON.stringify(data[0]);
}
