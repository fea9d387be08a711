import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app';
import { adminAuth } from '../support/tokens';
import { createAccount } from '../offers/support/http-fixtures';

/** GET /admin/v1/analytics/lifecycle over seeded rows: exact counts (issue #20). */
let t: TestApp;
const FROM = new Date('2026-03-01T00:00:00Z');
const TO = new Date('2026-04-01T00:00:00Z');
const inside = (day: number, hour = 0) => new Date(Date.UTC(2026, 2, day, hour));
const before = new Date('2026-02-20T00:00:00Z');

beforeAll(async () => {
  t = await createTestApp();
  const q = (sql: string, values: unknown[]) => t.db.dataSource.query(sql, values);
  for (const id of ['acct_a', 'acct_b', 'acct_c', 'acct_d', 'acct_e', 'acct_f'])
    await createAccount(t, id, { signedUpAt: before });
  const trial = (account: string, plan: string, kind: string, start: Date, outcome: string | null) =>
    q(
      `INSERT INTO account_trials (account_id, plan_code, kind, started_at, ends_at, outcome, outcome_at)
       VALUES ($1, $2, $3, $4, $4::timestamptz + interval '14 days', $5, CASE WHEN $5::text IS NULL THEN NULL ELSE $4::timestamptz + interval '14 days' END)`,
      [account, plan, kind, start, outcome],
    );
  await trial('acct_a', 'pro', 'trial', inside(2), 'converted');
  await trial('acct_b', 'pro', 'trial', inside(3), 'converted');
  await trial('acct_c', 'pro', 'trial', inside(4), 'ended');
  await trial('acct_d', 'pro', 'trial', inside(25), null);
  await trial('acct_e', 'pro', 'trial', before, 'converted');
  await trial('acct_a', 'premium', 'reverse_trial', inside(1), 'ended');
  await trial('acct_b', 'premium', 'reverse_trial', inside(1), 'converted');
  await trial('acct_c', 'premium', 'reverse_trial', inside(1), 'ended');

  const recovery = (session: string, account: string, raised: Date, converted: boolean) =>
    q(
      `INSERT INTO checkout_recoveries (session_id, operation_id, account_id, plan_code, interval, cause, raised_at,
                                        converted_operation_id, converted_at)
       VALUES ($1, 'op_' || $1, $2, 'pro', 'month', 'open_too_long', $3, $4, $5)`,
      [session, account, raised, converted ? `op_paid_${session}` : null, converted ? raised : null],
    );
  await recovery('cs_1', 'acct_a', inside(5), true);
  await recovery('cs_2', 'acct_b', inside(6), false);
  await recovery('cs_3', 'acct_c', inside(7), false);
  await recovery('cs_4', 'acct_d', before, true);

  const cancellation = (op: string, account: string, reason: string | null, at: Date) =>
    q(
      `INSERT INTO subscription_cancellations (operation_id, account_id, subscription_id, plan_code, reason, created_at)
       VALUES ($1, $2, 'sub_' || $2, 'premium', $3, $4)`,
      [op, account, reason, at],
    );
  // previews: e and f switch or cancel; d looks and does nothing
  const preview = (account: string, at: Date) =>
    q(
      `INSERT INTO cancel_previews (account_id, subscription_id, plan_code, alternative_plan, alternative_interval, created_at)
       VALUES ($1, 'sub_' || $1, 'premium', 'pro', 'month', $2)`,
      [account, at],
    );
  await preview('acct_e', inside(10));
  await preview('acct_e', inside(10, 1));
  await preview('acct_f', inside(11));
  await preview('acct_d', inside(12));
  await q(
    `INSERT INTO billing_operations (id, account_id, kind, state, stripe_idempotency_key, stripe_params, result, created_at)
     VALUES ('op_save_e', 'acct_e', 'schedule', 'completed', 'k_save_e', $1, $2, $3)`,
    [
      JSON.stringify({ bought: { plan: 'pro', interval: 'month' } }),
      JSON.stringify({ status: 'scheduled' }),
      inside(10, 2),
    ],
  );
  await cancellation('op_c1', 'acct_f', 'too_expensive', inside(11, 1));
  await cancellation('op_c2', 'acct_a', 'too_expensive', inside(13));
  await cancellation('op_c3', 'acct_b', null, inside(14));
  await cancellation('op_c4', 'acct_c', 'not_using', before);
});
afterAll(() => t.close());

describe('GET /admin/v1/analytics/lifecycle', () => {
  it('counts trials, reverse trials, recoveries, cancel reasons and saves in the period', async () => {
    const res = await request(t.app)
      .get(`/admin/v1/analytics/lifecycle?from=${FROM.toISOString()}&to=${TO.toISOString()}`)
      .set('Authorization', adminAuth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      object: 'lifecycle_report',
      from: FROM.toISOString(),
      to: TO.toISOString(),
      trials: { started: 4, converted: 2, ended: 1, running: 1, conversion_rate: 0.6667 },
      reverse_trials: { started: 3, converted: 1, ended: 2, running: 0, conversion_rate: 0.3333 },
      recoveries: { raised: 3, converted: 1, conversion_rate: 0.3333 },
      cancellations: {
        total: 3,
        reasons: [
          { reason: 'none', count: 1 },
          { reason: 'too_expensive', count: 2 },
        ],
      },
      cancel_previews: { accounts: 3, saved: 1, save_rate: 0.3333 },
    });
  });

  it('answers a bad period with a 422', async () => {
    const res = await request(t.app)
      .get(`/admin/v1/analytics/lifecycle?from=${TO.toISOString()}&to=${FROM.toISOString()}`)
      .set('Authorization', adminAuth);
    expect(res.status).toBe(422);
    const none = await request(t.app).get('/admin/v1/analytics/lifecycle').set('Authorization', adminAuth);
    expect(none.status).toBe(422);
  });
});
