import type { Pool } from 'pg';
import type { SubscriptionItem } from '../billing/subscription.entity';
import { GRANTING_STATUSES } from '../billing/subscription.entity';
import { FREE_PLAN } from './plan-limits';
import type { AccountUsageContext } from './usage.types';

interface ContextRow {
  id: string;
  signed_up_at: Date;
  plan_code: string | null;
  interval: 'month' | 'year' | null;
  billing_cycle_anchor: Date | null;
  current_period_start: Date | null;
  current_period_end: Date | null;
  items: SubscriptionItem[] | null;
}

const CONTEXT_SQL = `
  SELECT a.id, a.signed_up_at, s.plan_code, s.interval, s.billing_cycle_anchor,
         s.current_period_start, s.current_period_end, s.items
  FROM accounts a
  LEFT JOIN LATERAL (
    SELECT * FROM subscriptions s WHERE s.account_id = a.id AND s.status = ANY($2::text[])
    ORDER BY s.current_period_end DESC LIMIT 1
  ) s ON true
  WHERE a.id = ANY($1::text[])`;

function toContext(row: ContextRow): AccountUsageContext {
  const sub =
    row.plan_code && row.interval && row.billing_cycle_anchor && row.current_period_start && row.current_period_end
      ? {
          interval: row.interval,
          billingCycleAnchor: row.billing_cycle_anchor,
          currentPeriodStart: row.current_period_start,
          currentPeriodEnd: row.current_period_end,
        }
      : null;
  return {
    accountId: row.id,
    signedUpAt: row.signed_up_at,
    subscription: sub,
    planCode: sub ? (row.plan_code ?? FREE_PLAN) : FREE_PLAN,
    addOns: sub
      ? (row.items ?? []).filter((i) => i.kind === 'add_on').map((i) => ({ code: i.code, quantity: i.quantity }))
      : [],
  };
}

/**
 * Reads accounts with their granting subscription from the mirror (written by billing and
 * webhooks; usage only reads it). One query for any number of accounts.
 */
export class UsageAccountRepository {
  constructor(private readonly pool: () => Pool) {}

  async contexts(accountIds: readonly string[]): Promise<Map<string, AccountUsageContext>> {
    if (accountIds.length === 0) return new Map();
    const { rows } = await this.pool().query<ContextRow>({
      name: 'usage_account_contexts_v1',
      text: CONTEXT_SQL,
      values: [accountIds, [...GRANTING_STATUSES]],
    });
    return new Map(rows.map((row) => [row.id, toContext(row)]));
  }

  async context(accountId: string): Promise<AccountUsageContext | null> {
    return (await this.contexts([accountId])).get(accountId) ?? null;
  }
}
