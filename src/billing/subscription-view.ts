import { daysLeft } from '../lifecycle/trial-eligibility.rules';
import type { DataSource } from 'typeorm';

interface MirrorRow {
  id: string;
  status: string;
  plan_code: string;
  interval: string;
  currency: string;
  current_period_start: Date;
  current_period_end: Date;
  cancel_at_period_end: boolean;
  items: Array<{ kind: string; code: string; quantity: number }>;
  pending_update: Record<string, unknown> | null;
  scheduled_change: Record<string, unknown> | null;
  trial_end: Date | null;
}

/** The account's subscription as the mirror holds it (the newest one), for API answers; null when none. */
export async function subscriptionView(
  dataSource: DataSource,
  accountId: string,
  now: Date,
): Promise<Record<string, unknown> | null> {
  const rows: MirrorRow[] = await dataSource.query(
    `SELECT id, status, plan_code, interval, currency, current_period_start, current_period_end, cancel_at_period_end,
            items, pending_update, scheduled_change, trial_end
     FROM subscriptions WHERE account_id = $1
     ORDER BY (status IN ('trialing', 'active', 'past_due', 'unpaid', 'paused')) DESC, stripe_created_at DESC LIMIT 1`,
    [accountId],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.id,
    plan: row.plan_code,
    interval: row.interval,
    status: row.status,
    currency: row.currency,
    current_period_start: row.current_period_start.toISOString(),
    current_period_end: row.current_period_end.toISOString(),
    cancel_at_period_end: row.cancel_at_period_end,
    add_ons: row.items
      .filter((item) => item.kind === 'add_on')
      .map((item) => ({ code: item.code, quantity: item.quantity })),
    pending_update: row.pending_update,
    scheduled_change: row.scheduled_change,
    trial_end: row.trial_end ? row.trial_end.toISOString() : null,
    trial_days_left: row.status === 'trialing' && row.trial_end ? daysLeft(row.trial_end, now) : null,
  };
}
