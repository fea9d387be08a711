import crypto from 'node:crypto';
import request from 'supertest';
import { loadCatalogSource, readCatalogSource } from '../../src/catalog/load-catalog';
import {
  DAY,
  START,
  change,
  payCheckout,
  quote,
  startBillingHarness,
  type BillingHarness,
} from '../billing/support/billing-harness';
import { DEMO_CATALOG_FILE } from '../catalog/support/demo-catalog';
import { adminAuth, bearer, serverAuth, userToken } from '../support/tokens';
import { movableClock, outboundEvents, webhooksSettled } from './support/lifecycle-world';

/**
 * Reverse trials (issue #20, acceptance 2): with `reverse_trial_days: 14` on Premium, a new account
 * (PUT /v1/accounts/:id) gets Premium for 14 days without a card, then Free at the end instant, by
 * itself (a time-based read of the service clock; no job). Its data is kept. Checkout through the
 * emulator: docs.stripe.com/payments/checkout (a paid plan bought during the trial converts it).
 */
function catalogWithReverseTrial() {
  const source = readCatalogSource(DEMO_CATALOG_FILE);
  const catalogText = source.catalogText.replace(
    '  - code: premium\n    trial_days: 14\n',
    '  - code: premium\n    trial_days: 14\n    reverse_trial_days: 14\n',
  );
  if (catalogText === source.catalogText) throw new Error('the demo catalog changed: premium not found');
  const loaded = loadCatalogSource({ catalogText, localeTexts: source.localeTexts });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return loaded.loaded;
}

const clock = movableClock(START);
let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness({ webhooks: true, clock, catalog: catalogWithReverseTrial() });
});
afterAll(async () => h?.close());

const at = (ms: number) => clock.set(ms / 1000);
const END_MS = (START + 14 * DAY) * 1000;

async function newAccount(locale = 'en-US') {
  const accountId = `acct_${crypto.randomBytes(6).toString('hex')}`;
  const created = await request(h.app)
    .put(`/v1/accounts/${accountId}`)
    .set('Authorization', serverAuth)
    .send({ name: 'Reverse Co', email: `${accountId}@example.com`, country: 'US', locale });
  expect(created.status).toBe(201);
  return { accountId, auth: bearer(userToken(accountId, 'owner')), created };
}

const get = (path: string, auth: string) => request(h.app).get(path).set('Authorization', auth);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const limitOf = (body: any, feature: string) => body.data.find((e: any) => e.feature === feature);

describe('reverse trials', () => {
  it('a reverse trial ends on its day by itself: Premium entitlements before, Free after, data kept, a prompt that says so', async () => {
    at(START * 1000);
    const { accountId, auth, created } = await newAccount();
    const endsAt = new Date(END_MS).toISOString();
    expect(created.body.reverse_trial).toEqual({ plan: 'premium', ends_at: endsAt, days_left: 14 });
    const [row] = await h.db.dataSource.query(
      'SELECT plan_code, kind, stripe_subscription_id, outcome FROM account_trials WHERE account_id = $1',
      [accountId],
    );
    expect(row).toEqual({ plan_code: 'premium', kind: 'reverse_trial', stripe_subscription_id: null, outcome: null });
    expect((await get('/v1/account', auth)).body.subscription ?? null).toBeNull();

    const ingest = await request(h.app)
      .post('/v1/usage')
      .set('Authorization', serverAuth)
      .send({
        events: [
          {
            id: `evt_${accountId}_projects`,
            account_id: accountId,
            feature: 'projects',
            action: 'set',
            quantity: 12,
            timestamp: new Date(START * 1000 + 60_000).toISOString(),
          },
        ],
      });
    expect(ingest.body).toMatchObject({ accepted: 1 });

    // no prompt before the last three days
    at(START * 1000 + 3600_000);
    expect((await get('/v1/lifecycle/prompts', auth)).body.data).toEqual([]);

    // one millisecond before the end: still Premium, and the prompt says what changes and when
    at(END_MS - 1);
    const before = await get('/v1/entitlements', auth);
    expect(before.body.plan).toBe('premium');
    expect(limitOf(before.body, 'projects')).toMatchObject({ limit: null, used: 12 });
    expect(limitOf(before.body, 'sso')).toMatchObject({ enabled: true });
    expect((await get('/v1/entitlements/projects?quantity=1', auth)).body).toMatchObject({ allowed: true });
    expect((await get('/v1/account', auth)).body.reverse_trial).toEqual({
      plan: 'premium',
      ends_at: endsAt,
      days_left: 1,
    });
    const ending = (await get('/v1/lifecycle/prompts', auth)).body.data;
    expect(ending).toEqual([
      expect.objectContaining({
        id: `rvt_${accountId}_ending`,
        kind: 'reverse_trial_ending',
        plan: 'premium',
        ends_at: endsAt,
        falls_back_to: 'free',
        kept: 'all_data',
      }),
    ]);
    expect(ending[0].changes).toContainEqual({ feature: 'projects', trial: 'unlimited', free: 3 });
    expect(ending[0].message).toBe(
      'On April 15, 2026 your account returns to Free: 3 projects instead of Unlimited, 2 seats instead of 50 seats, ' +
        '1,000 API calls per month instead of 500,000 API calls per month, 1 GB instead of 500 GB, ' +
        '10 exports per month instead of Unlimited, and without Time tracking, Resource allocation, Single sign-on (SSO), ' +
        'and Priority support. Nothing is deleted.',
    );

    // at the end instant: Free, by itself (no job ran), the usage untouched
    at(END_MS);
    const after = await get('/v1/entitlements', auth);
    expect(after.body.plan).toBe('free');
    expect(limitOf(after.body, 'projects')).toMatchObject({ limit: 3, used: 12 });
    expect(limitOf(after.body, 'sso')).toMatchObject({ enabled: false });
    expect((await get('/v1/entitlements/projects?quantity=1', auth)).body).toMatchObject({ allowed: false });
    expect((await get('/v1/account', auth)).body.reverse_trial).toBeNull();
    const ended = (await get('/v1/lifecycle/prompts', auth)).body.data;
    expect(ended).toEqual([expect.objectContaining({ id: `rvt_${accountId}_ended`, kind: 'reverse_trial_ended' })]);
    expect(ended[0].message).toBe(
      'Your Premium trial ended on April 15, 2026. Your account is on Free again, and all your data was kept.',
    );
    const [counter] = await h.db.dataSource.query('SELECT value FROM usage_gauges WHERE account_id = $1', [accountId]);
    expect(Number(counter.value)).toBe(12);

    // the janitor's bookkeeping: trial.ended once, however often it runs
    await h.services.lifecycle.endReverseTrials();
    await h.services.lifecycle.endReverseTrials();
    const events = (await outboundEvents(h, accountId)).filter((e) => e.type.startsWith('trial.'));
    expect(events.map((e) => [e.type, e.data.kind])).toEqual([
      ['trial.started', 'reverse_trial'],
      ['trial.ended', 'reverse_trial'],
    ]);
    expect(new Date(events[1]!.occurred_at).toISOString()).toBe(endsAt);

    // a week after the end the "it ended" prompt is gone
    at(END_MS + 7 * DAY * 1000);
    expect((await get('/v1/lifecycle/prompts', auth)).body.data).toEqual([]);
  });

  it('starts once per account, ever: an update or a second creation starts nothing', async () => {
    at(START * 1000);
    const { accountId } = await newAccount();
    at(END_MS + DAY * 1000);
    const updated = await request(h.app)
      .put(`/v1/accounts/${accountId}`)
      .set('Authorization', serverAuth)
      .send({ name: 'Reverse Co 2', email: `${accountId}@example.com`, country: 'US', locale: 'en-US' });
    expect(updated.status).toBe(200);
    expect(updated.body.reverse_trial).toBeNull();
    expect(await h.services.lifecycle.startReverseTrial(accountId)).toBe(false);
    await expect(
      h.db.dataSource.query(
        `INSERT INTO account_trials (account_id, plan_code, kind, started_at, ends_at) VALUES ($1, 'pro', 'reverse_trial', now(), now() + interval '1 day')`,
        [accountId],
      ),
    ).rejects.toThrow(/account_trials_one_reverse_trial/);
    const rows = await h.db.dataSource.query('SELECT plan_code FROM account_trials WHERE account_id = $1', [accountId]);
    expect(rows).toEqual([{ plan_code: 'premium' }]);
  });

  it('converts when the account buys a paid plan during it, and the lifecycle report counts it', async () => {
    const from = new Date((START - DAY) * 1000).toISOString();
    const to = new Date((START + DAY) * 1000).toISOString();
    const report = async () =>
      (await get(`/admin/v1/analytics/lifecycle?from=${from}&to=${to}`, adminAuth)).body.reverse_trials;
    at(START * 1000 + 10 * DAY * 1000);
    const before = await report();

    at(START * 1000);
    const { accountId, auth } = await newAccount();
    at(START * 1000 + 2 * DAY * 1000);
    const quoted = await quote(h, auth, { plan: 'pro', trial: false });
    expect(quoted.status).toBe(201);
    const changed = await change(h, auth, quoted.body.id);
    expect((await payCheckout(changed.body.checkout_url, 'pm_card_visa')).status).toBe(303);
    await webhooksSettled(h);

    const [row] = await h.db.dataSource.query(
      "SELECT outcome FROM account_trials WHERE account_id = $1 AND kind = 'reverse_trial'",
      [accountId],
    );
    expect(row).toEqual({ outcome: 'converted' });
    expect((await get('/v1/account', auth)).body).toMatchObject({ reverse_trial: null, subscription: { plan: 'pro' } });
    expect((await get('/v1/entitlements', auth)).body.plan).toBe('pro');
    at(END_MS - 1);
    expect((await get('/v1/lifecycle/prompts', auth)).body.data).toEqual([]);
    const types = (await outboundEvents(h, accountId)).filter((e) => e.type.startsWith('trial.')).map((e) => e.type);
    expect(types).toEqual(['trial.started', 'trial.converted']);

    // the report, 10 days in (the first test's trial still runs then, as this one would have)
    at(START * 1000 + 10 * DAY * 1000);
    expect(await report()).toMatchObject({
      started: before.started + 1,
      converted: before.converted + 1,
      ended: before.ended,
    });
    // after every end: the first two ended (by time, recorded or not), this one converted
    at(END_MS + DAY * 1000);
    expect(await report()).toEqual({ started: 3, converted: 1, ended: 2, running: 0, conversion_rate: 0.3333 });
  });
});
