import request from 'supertest';
import type { TestApp } from '../../support/test-app';
import { adminAuth, bearer, serverAuth, userToken, type Role } from '../../support/tokens';

export const DAY = 24 * 3600 * 1000;

/** The simulated clock of one test app: starts at the real time, moves only forward by whole steps. */
export class SimulatedClock {
  private at: Date;
  constructor(
    private readonly t: TestApp,
    start: Date = new Date(),
  ) {
    this.at = start;
    t.services.clock.now = () => this.at;
  }
  now(): Date {
    return this.at;
  }
  set(at: Date): void {
    this.at = at;
  }
  advanceDays(days: number): void {
    this.at = new Date(this.at.getTime() + days * DAY);
  }
}

export interface AccountFields {
  country?: string;
  locale?: string;
  industry?: string | null;
  companySize?: string | null;
  signedUpAt: Date;
}

export async function createAccount(t: TestApp, id: string, f: AccountFields): Promise<void> {
  await t.db.dataSource.query(
    `INSERT INTO accounts (id, name, email, country, locale, industry, company_size, signed_up_at)
     VALUES ($1, $1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (id) DO UPDATE SET country = EXCLUDED.country, locale = EXCLUDED.locale, industry = EXCLUDED.industry,
       company_size = EXCLUDED.company_size, signed_up_at = EXCLUDED.signed_up_at`,
    [
      id,
      `${id}@example.test`,
      f.country ?? 'US',
      f.locale ?? 'en-US',
      f.industry ?? null,
      f.companySize ?? null,
      f.signedUpAt,
    ],
  );
}

export interface MirrorFields {
  accountId: string;
  planCode: string;
  interval?: 'month' | 'year';
  currency?: string;
  /** When Stripe created the subscription (the purchase). */
  createdAt: Date;
  periodStart: Date;
  periodEnd: Date;
  addOns?: Array<{ code: string; quantity: number }>;
}

/** Writes the subscription mirror row as the billing module (from Stripe's state) would. */
export async function mirrorSubscription(t: TestApp, f: MirrorFields): Promise<void> {
  const items = [
    { id: `si_${f.accountId}_plan`, price_id: `price_${f.planCode}`, kind: 'plan', code: f.planCode, quantity: 1 },
    ...(f.addOns ?? []).map((a, i) => ({
      id: `si_${f.accountId}_${i}`,
      price_id: `price_${a.code}`,
      kind: 'add_on',
      code: a.code,
      quantity: a.quantity,
    })),
  ];
  await t.db.dataSource.query(
    `INSERT INTO subscriptions (id, account_id, status, plan_code, interval, currency, billing_cycle_anchor,
                                current_period_start, current_period_end, items, stripe_created_at)
     VALUES ($1, $2, 'active', $3, $4, $5, $6, $6, $7, $8, $9)
     ON CONFLICT (id) DO UPDATE SET plan_code = EXCLUDED.plan_code, interval = EXCLUDED.interval, currency = EXCLUDED.currency,
       current_period_start = EXCLUDED.current_period_start, current_period_end = EXCLUDED.current_period_end,
       items = EXCLUDED.items, stripe_created_at = EXCLUDED.stripe_created_at, updated_at = now()`,
    [
      `sub_${f.accountId}`,
      f.accountId,
      f.planCode,
      f.interval ?? 'month',
      f.currency ?? 'usd',
      f.periodStart,
      f.periodEnd,
      JSON.stringify(items),
      f.createdAt,
    ],
  );
}

/**
 * A US owner (software, 11-50 people, signed up 60 days before `start`) on Pro, monthly, whose
 * period started 5 days before `start`, having made `calls` API calls (42,500 is 85% of Pro's limit).
 */
export async function proAccountUsing(t: TestApp, id: string, start: Date, calls = 42500): Promise<void> {
  await createAccount(t, id, {
    signedUpAt: new Date(start.getTime() - 60 * DAY),
    industry: 'software',
    companySize: '11-50',
  });
  await mirrorSubscription(t, {
    accountId: id,
    planCode: 'pro',
    createdAt: new Date(start.getTime() - 5 * DAY),
    periodStart: new Date(start.getTime() - 5 * DAY),
    periodEnd: new Date(start.getTime() + 25 * DAY),
  });
  await reportUsage(t, id, 'api_calls', calls, 'increment');
}

let operations = 0;

/** A paid change as billing records it (operation journal + purchase), e.g. Pro → Premium. */
export async function recordPurchase(
  t: TestApp,
  accountId: string,
  f: { kind: 'plan_change' | 'add_on'; plan: string; previousPlan: string; addOns?: string[]; paidAt: Date },
): Promise<void> {
  operations += 1;
  const id = `op_${accountId}_${operations}`;
  await t.db.dataSource.query(
    `INSERT INTO billing_operations (id, account_id, kind, state, stripe_idempotency_key, stripe_params)
     VALUES ($1, $2, 'update', 'completed', $1, '{}'::jsonb)`,
    [id, accountId],
  );
  const item = (kind: string, code: string) => ({ kind, code, quantity: 1, price: `price_${code}` });
  const bought = {
    plan: f.plan,
    interval: 'month',
    items: [item('plan', f.plan), ...(f.addOns ?? []).map((c) => item('add_on', c))],
  };
  const previous = { plan: f.previousPlan, items: [item('plan', f.previousPlan)] };
  await t.db.dataSource.query(
    `INSERT INTO purchases (id, account_id, operation_id, kind, bought, previous, currency, amount, paid_at)
     VALUES ($1, $2, $1, $3, $4, $5, 'usd', 1000, $6)`,
    [id, accountId, f.kind, JSON.stringify(bought), JSON.stringify(previous), f.paidAt],
  );
}

let sequence = 0;

/** Usage as the SaaS backend reports it, timed by the simulated clock. */
export async function reportUsage(
  t: TestApp,
  accountId: string,
  feature: string,
  quantity: number,
  action: 'increment' | 'set' = 'set',
) {
  sequence += 1;
  const res = await request(t.app)
    .post('/v1/usage')
    .set('Authorization', serverAuth)
    .send({
      events: [
        {
          id: `offers_${process.pid}_${sequence}`,
          account_id: accountId,
          feature,
          quantity,
          action,
          timestamp: t.services.clock.now().toISOString(),
        },
      ],
    });
  if (res.status !== 200 || res.body.accepted !== 1) throw new Error(`usage not accepted: ${JSON.stringify(res.body)}`);
}

export function getPrompts(t: TestApp, accountId: string, query: Record<string, string> = {}, role: Role = 'owner') {
  return request(t.app)
    .get('/v1/prompts')
    .query(query)
    .set('Authorization', bearer(userToken(accountId, role)));
}

/** The prompts' bodies, failing the test on anything but 200. */
export async function promptsOf(
  t: TestApp,
  accountId: string,
  query: Record<string, string> = {},
  role: Role = 'owner',
) {
  const res = await getPrompts(t, accountId, query, role);
  if (res.status !== 200) throw new Error(`GET /v1/prompts: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export function postEvent(t: TestApp, accountId: string, promptId: string, body: unknown, role: Role = 'owner') {
  return request(t.app)
    .post(`/v1/prompts/${promptId}/events`)
    .set('Authorization', bearer(userToken(accountId, role)))
    .send(body as object);
}

export const admin = (t: TestApp) => ({
  get: (path: string) => request(t.app).get(path).set('Authorization', adminAuth),
  post: (path: string, body: unknown) =>
    request(t.app)
      .post(path)
      .set('Authorization', adminAuth)
      .send(body as object),
  put: (path: string, body: unknown) =>
    request(t.app)
      .put(path)
      .set('Authorization', adminAuth)
      .send(body as object),
  delete: (path: string) => request(t.app).delete(path).set('Authorization', adminAuth),
});
