import { daysLeft } from '../lifecycle/trial-eligibility.rules';
import type { DataSource } from 'typeorm';
import type { MirroredRow } from '../webhooks/sync-context';

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
  return rows[0] ? viewOf(rows[0], now) : null;
}

const LIVE = new Set(['trialing', 'active', 'past_due', 'unpaid', 'paused']);

/**
 * The same view from a row a sync has just committed, with no read: only for a live subscription,
 * which is then the account's one live subscription (the mirror's unique index), the one the
 * query above picks. Undefined otherwise (the caller reads). NOTE: the scheduled change is the one
 * the sync read; only an operation holding the account's lane (none can schedule meanwhile) may use it.
 */
export function subscriptionViewOfSynced(row: MirroredRow, now: Date): Record<string, unknown> | undefined {
  const { mirror } = row;
  if (!LIVE.has(mirror.status)) return undefined;
  const at = (seconds: number) => new Date(seconds * 1000);
  return viewOf(
    {
      id: mirror.id,
      status: mirror.status,
      plan_code: mirror.planCode,
      interval: mirror.interval,
      currency: mirror.currency,
      current_period_start: at(mirror.currentPeriodStart),
      current_period_end: at(mirror.currentPeriodEnd),
      cancel_at_period_end: mirror.cancelAtPeriodEnd,
      items: mirror.items,
      pending_update: mirror.pendingUpdate,
      scheduled_change: row.scheduledChange,
      trial_end: mirror.trialEnd === null ? null : at(mirror.trialEnd),
    },
    now,
  );
}

function viewOf(row: MirrorRow, now: Date): Record<string, unknown> {
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
