import type { EntityManager } from 'typeorm';
import type { SubscriptionItem, SubscriptionStatus } from '../billing/subscription.entity';
import type { SubscriptionMirror } from './subscription-mirror';

interface MirrorRow {
  id: string;
  account_id: string;
  status: SubscriptionStatus;
  plan_code: string;
  interval: 'month' | 'year';
  currency: string;
  billing_cycle_anchor: Date;
  current_period_start: Date;
  current_period_end: Date;
  cancel_at_period_end: boolean;
  canceled_at: Date | null;
  ended_at: Date | null;
  trial_end: Date | null;
  items: SubscriptionItem[];
  pending_update: Record<string, unknown> | null;
  stripe_created_at: Date;
  scheduled_change?: Record<string, unknown> | null;
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
const secondsOrNull = (date: Date | null) => (date ? seconds(date) : null);

function fromRow(row: MirrorRow): SubscriptionMirror {
  return {
    id: row.id,
    accountId: row.account_id,
    status: row.status,
    planCode: row.plan_code,
    interval: row.interval,
    currency: row.currency,
    billingCycleAnchor: seconds(row.billing_cycle_anchor),
    currentPeriodStart: seconds(row.current_period_start),
    currentPeriodEnd: seconds(row.current_period_end),
    cancelAtPeriodEnd: row.cancel_at_period_end,
    canceledAt: secondsOrNull(row.canceled_at),
    endedAt: secondsOrNull(row.ended_at),
    trialEnd: secondsOrNull(row.trial_end),
    items: row.items,
    pendingUpdate: row.pending_update,
    stripeCreatedAt: seconds(row.stripe_created_at),
  };
}

/** What a sync of one subscription reads before it writes (syncFacts). */
export interface SyncFacts {
  /** The Tierlift account of the subscription's customer; undefined when none is known. */
  accountId: string | undefined;
  /** The account's other subscriptions that the local mirror still thinks are live. */
  otherLiveIds: string[];
  /** The subscription's mirror row as it stands; undefined when it has none yet. */
  current: SubscriptionMirror | undefined;
  /** The downgrade billing scheduled on the row (not part of Stripe's object, never written by a sync). */
  scheduledChange: Record<string, unknown> | null;
}

/** Reads and writes the `subscriptions` mirror on behalf of webhooks and reconciliation. */
export const subscriptionMirrors = {
  /**
   * A sync's three reads in one round trip: the account (as accountForCustomer finds it: by
   * `stripe_customer_id`, else the `tierlift_account_id` the metadata claims if that account has
   * no other customer), the account's other subscriptions the mirror holds as live, and the current row.
   */
  async syncFacts(
    manager: EntityManager,
    subscriptionId: string,
    customerId: string | null,
    claimedAccountId: string | null,
  ): Promise<SyncFacts> {
    const rows: Array<MirrorRow & { sync_account_id: string | null; other_live_ids: string[] }> = await manager.query(
      `SELECT account.id AS sync_account_id,
         ARRAY(SELECT other.id FROM subscriptions other
                WHERE other.account_id = account.id AND other.id <> $1
                  AND other.status IN ('trialing', 'active', 'past_due', 'unpaid', 'paused')) AS other_live_ids,
         mirror.*
       FROM (SELECT 1) one
       LEFT JOIN (
         SELECT id FROM (
           SELECT id, 1 AS rank FROM accounts WHERE stripe_customer_id = $2
           UNION ALL
           SELECT id, 2 AS rank FROM accounts
            WHERE id = $3 AND (stripe_customer_id IS NULL OR stripe_customer_id = $2)
         ) found ORDER BY rank LIMIT 1
       ) account ON true
       LEFT JOIN subscriptions mirror ON mirror.id = $1`,
      [subscriptionId, customerId, claimedAccountId],
    );
    const row = rows[0];
    return {
      accountId: row?.sync_account_id ?? undefined,
      otherLiveIds: row?.other_live_ids ?? [],
      current: row?.id ? fromRow(row) : undefined,
      scheduledChange: row?.scheduled_change ?? null,
    };
  },

  async find(manager: EntityManager, id: string): Promise<SubscriptionMirror | undefined> {
    const rows: MirrorRow[] = await manager.query('SELECT * FROM subscriptions WHERE id = $1', [id]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  },

  async allIds(manager: EntityManager): Promise<string[]> {
    const rows: Array<{ id: string }> = await manager.query('SELECT id FROM subscriptions ORDER BY id');
    return rows.map((row) => row.id);
  },

  async upsert(manager: EntityManager, m: SubscriptionMirror): Promise<void> {
    await manager.query(
      `INSERT INTO subscriptions (id, account_id, status, plan_code, interval, currency, billing_cycle_anchor,
         current_period_start, current_period_end, cancel_at_period_end, canceled_at, trial_end, items,
         pending_update, stripe_created_at, ended_at, synced_at)
       VALUES ($1, $2, $3, $4, $5, $6, to_timestamp($7), to_timestamp($8), to_timestamp($9), $10,
         to_timestamp($11), to_timestamp($12), $13::jsonb, $14::jsonb, to_timestamp($15), to_timestamp($16), now())
       ON CONFLICT (id) DO UPDATE SET
         account_id = EXCLUDED.account_id, status = EXCLUDED.status, plan_code = EXCLUDED.plan_code,
         interval = EXCLUDED.interval, currency = EXCLUDED.currency,
         billing_cycle_anchor = EXCLUDED.billing_cycle_anchor, current_period_start = EXCLUDED.current_period_start,
         current_period_end = EXCLUDED.current_period_end, cancel_at_period_end = EXCLUDED.cancel_at_period_end,
         canceled_at = EXCLUDED.canceled_at, trial_end = EXCLUDED.trial_end, items = EXCLUDED.items,
         pending_update = EXCLUDED.pending_update, stripe_created_at = EXCLUDED.stripe_created_at,
         ended_at = EXCLUDED.ended_at, synced_at = now(), updated_at = now()`,
      [
        m.id,
        m.accountId,
        m.status,
        m.planCode,
        m.interval,
        m.currency,
        m.billingCycleAnchor,
        m.currentPeriodStart,
        m.currentPeriodEnd,
        m.cancelAtPeriodEnd,
        m.canceledAt,
        m.trialEnd,
        JSON.stringify(m.items),
        m.pendingUpdate === null ? null : JSON.stringify(m.pendingUpdate),
        m.stripeCreatedAt,
        m.endedAt,
      ],
    );
  },
};
