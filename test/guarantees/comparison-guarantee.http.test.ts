import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app';
import { bearer, userToken } from '../support/tokens';
import { createAccount, DAY, mirrorSubscription } from '../offers/support/http-fixtures';

// Issue 17, sequence 18 ("Promises follow eligibility"): the comparison table shows on each column
// the guarantee a quote for it would announce to the account looking, with its conditions in words.

let t: TestApp;
/** A fixed day: nothing here depends on the wall clock. */
const start = new Date('2026-03-02T09:00:00.000Z');

beforeAll(async () => {
  t = await createTestApp();
  t.services.clock.now = () => start;
});
afterAll(() => t.close());

async function proAccount(id: string, fields: { country?: string; locale?: string } = {}): Promise<void> {
  await createAccount(t, id, { ...fields, signedUpAt: new Date(start.getTime() - 90 * DAY) });
  await mirrorSubscription(t, {
    accountId: id,
    planCode: 'pro',
    createdAt: new Date(start.getTime() - 60 * DAY),
    periodStart: new Date(start.getTime() - 5 * DAY),
    periodEnd: new Date(start.getTime() + 25 * DAY),
  });
}

/** A premium upgrade refunded under the guarantee, as billing and the guarantees module record it. */
async function premiumRefunded(accountId: string): Promise<void> {
  const id = `op_${accountId}_premium`;
  const item = (code: string) => ({ kind: 'plan', code, quantity: 1, price: `price_${code}` });
  await t.db.dataSource.query(
    `INSERT INTO billing_operations (id, account_id, kind, state, stripe_idempotency_key, stripe_params)
     VALUES ($1, $2, 'update', 'completed', $1, '{}'::jsonb)`,
    [id, accountId],
  );
  await t.db.dataSource.query(
    `INSERT INTO purchases (id, account_id, operation_id, kind, bought, previous, currency, amount, paid_at, refunded_at)
     VALUES ($1, $2, $1, 'plan_change', $3, $4, 'usd', 3000, $5, $5)`,
    [
      id,
      accountId,
      JSON.stringify({ plan: 'premium', interval: 'month', items: [item('premium')] }),
      JSON.stringify({ plan: 'pro', interval: 'month', items: [item('pro')] }),
      new Date(start.getTime() - 50 * DAY),
    ],
  );
  await t.db.dataSource.query(
    `INSERT INTO refund_claims (id, account_id, purchase_id, product, purchase_kind, source, within_policy, once_key,
                                reason, requested_by, state, currency, amount, created_at)
     VALUES ($1, $2, $1, 'plan:premium', 'plan_upgrade', 'customer', true, $2 || ':plan:premium', 'not for us',
             'owner', 'completed', 'usd', 3000, $3)`,
    [id, accountId, new Date(start.getTime() - 48 * DAY)],
  );
}

async function table(accountId: string) {
  const res = await request(t.app)
    .get('/v1/plans')
    .set('Authorization', bearer(userToken(accountId, 'owner')));
  if (res.status !== 200) throw new Error(`GET /v1/plans: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as {
    plans: Array<{ code: string; guarantee: Record<string, unknown> | null }>;
    add_ons: Array<{ code: string; guarantee: Record<string, unknown> | null }>;
    bundles: Array<{ code: string; guarantee: Record<string, unknown> | null }>;
  };
}

const guaranteeOf = (columns: Array<{ code: string; guarantee: unknown }>, code: string) =>
  columns.find((column) => column.code === code)?.guarantee;

describe('GET /v1/plans: guarantees on the comparison table', () => {
  it('shows the upgrade guarantee on higher plans only, with its conditions in plain words', async () => {
    await proAccount('acct_table_pro');
    const shown = await table('acct_table_pro');
    expect(shown.plans.map((plan) => [plan.code, plan.guarantee === null])).toEqual([
      ['free', true],
      ['pro', true],
      ['premium', false],
    ]);
    expect(guaranteeOf(shown.plans, 'premium')).toEqual({
      days: 30,
      conditions: expect.objectContaining({ window_days: 30, max_usage_percent: 80, once_per_product: true }),
      words: '30-day money-back guarantee',
      terms: [
        'Full refund if you ask within 30 days of payment',
        'Only while you have used no more than 80% of the new limits',
        'Once per product: a product refunded before is not refunded again',
        'Renewal payments are not covered',
        'Refunds per account in any 12 months: at most 2',
      ],
    });
    expect(guaranteeOf(shown.add_ons, 'training_agency')).toMatchObject({
      days: 7,
      terms: expect.arrayContaining(['Only before the training has started']),
    });
    expect(guaranteeOf(shown.bundles, 'premium_training')).toMatchObject({ days: 30 });
  });

  it('shows no guarantee on a plan, or a bundle holding it, the account already had refunded once', async () => {
    await proAccount('acct_table_refunded');
    await premiumRefunded('acct_table_refunded');
    const shown = await table('acct_table_refunded');
    expect(guaranteeOf(shown.plans, 'premium')).toBeNull();
    expect(guaranteeOf(shown.bundles, 'premium_training')).toBeNull();
    expect(guaranteeOf(shown.add_ons, 'training_agency')).toMatchObject({ days: 7 });
  });

  it("says the guarantee in the account's language, with the regional window", async () => {
    await proAccount('acct_table_de', { country: 'DE', locale: 'de-DE' });
    const shown = await table('acct_table_de');
    expect(guaranteeOf(shown.plans, 'premium')).toMatchObject({
      days: 30,
      words: '30 Tage Geld-zurück-Garantie',
    });
    expect(guaranteeOf(shown.add_ons, 'training_agency')).toMatchObject({
      days: 14,
      words: '14 Tage Geld-zurück-Garantie',
      terms: expect.arrayContaining(['Nur bevor die Schulung begonnen hat']),
    });
  });
});
