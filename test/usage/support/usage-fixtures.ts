import request from 'supertest';
import type { TestApp } from '../../support/test-app';
import { serverAuth } from '../../support/tokens';

export interface UsageEventBody {
  id: string;
  account_id: string;
  feature: string;
  quantity: number;
  action: 'increment' | 'set';
  timestamp: string;
}

let sequence = 0;

/** A valid counter event; override any field. */
export function usageEvent(accountId: string, overrides: Partial<UsageEventBody> = {}): UsageEventBody {
  sequence += 1;
  return {
    id: `evt_${process.pid}_${sequence}`,
    account_id: accountId,
    feature: 'api_calls',
    quantity: 1,
    action: 'increment',
    timestamp: new Date().toISOString(),
    ...overrides,
  };
}

export function postUsage(t: TestApp, body: unknown, auth = serverAuth) {
  return request(t.app)
    .post('/v1/usage')
    .set('Authorization', auth)
    .set('Content-Type', 'application/json')
    .send(body as object);
}

/** An account row as the accounts module stores it. */
export async function createAccount(
  t: TestApp,
  id: string,
  signedUpAt: Date = new Date(Date.now() - 3 * 24 * 3600 * 1000),
): Promise<void> {
  await t.db.dataSource.query(
    `INSERT INTO accounts (id, name, email, country, locale, signed_up_at) VALUES ($1, $1, $2, 'DE', 'de-DE', $3)`,
    [id, `${id}@example.test`, signedUpAt],
  );
}

export interface MirrorFields {
  id?: string;
  accountId: string;
  planCode: string;
  status?: string;
  interval?: 'month' | 'year';
  anchor: Date;
  periodStart: Date;
  periodEnd: Date;
  addOns?: Array<{ code: string; quantity: number }>;
}

/** Writes the subscription mirror row as billing or a renewal webhook would. */
export async function mirrorSubscription(t: TestApp, f: MirrorFields): Promise<void> {
  const items = [
    { id: 'si_plan', price_id: `price_${f.planCode}`, kind: 'plan', code: f.planCode, quantity: 1 },
    ...(f.addOns ?? []).map((a, i) => ({
      id: `si_${i}`,
      price_id: `price_${a.code}`,
      kind: 'add_on',
      code: a.code,
      quantity: a.quantity,
    })),
  ];
  await t.db.dataSource.query(
    `INSERT INTO subscriptions (id, account_id, status, plan_code, interval, currency, billing_cycle_anchor,
                                current_period_start, current_period_end, items, stripe_created_at)
     VALUES ($1, $2, $3, $4, $5, 'usd', $6, $7, $8, $9, $6)
     ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, plan_code = EXCLUDED.plan_code, interval = EXCLUDED.interval,
       billing_cycle_anchor = EXCLUDED.billing_cycle_anchor, current_period_start = EXCLUDED.current_period_start,
       current_period_end = EXCLUDED.current_period_end, items = EXCLUDED.items, synced_at = now(), updated_at = now()`,
    [
      f.id ?? `sub_${f.accountId}`,
      f.accountId,
      f.status ?? 'active',
      f.planCode,
      f.interval ?? 'month',
      f.anchor,
      f.periodStart,
      f.periodEnd,
      JSON.stringify(items),
    ],
  );
}

export const DAY = 24 * 3600 * 1000;
export const daysAgo = (n: number) => new Date(Date.now() - n * DAY);
export const daysAhead = (n: number) => new Date(Date.now() + n * DAY);

export async function counterTotal(t: TestApp, accountId: string, feature: string): Promise<number> {
  const rows = await t.db.dataSource.query(
    'SELECT COALESCE(sum(used), 0)::bigint AS n FROM usage_counters WHERE account_id = $1 AND feature = $2',
    [accountId, feature],
  );
  return Number(rows[0].n);
}

export async function eventCount(t: TestApp, accountId?: string): Promise<number> {
  const rows = await t.db.dataSource.query(
    'SELECT count(*)::int AS n FROM usage_events WHERE $1::text IS NULL OR account_id = $1',
    [accountId ?? null],
  );
  return Number(rows[0].n);
}
