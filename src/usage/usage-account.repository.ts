import type { Pool } from 'pg';
import type { SubscriptionItem } from '../billing/subscription.entity';
import { GRANTING_STATUSES } from '../billing/subscription.entity';
import { FREE_PLAN } from './plan-limits';
import type { AccountUsageContext } from './usage.types';

/** Instants come back as epoch milliseconds (float8): cheaper to read than timestamptz text. */
export interface ContextRow {
  id: string;
  signed_up_ms: number;
  plan_code: string | null;
  interval: 'month' | 'year' | null;
  anchor_ms: number | null;
  period_start_ms: number | null;
  period_end_ms: number | null;
  items: SubscriptionItem[] | null;
  reverse_trial_plan: string | null;
  reverse_trial_ends_ms: number | null;
}

export const epochMs = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;

/** The columns of a ContextRow, over `accounts a` joined to its granting subscription `s`. */
export const CONTEXT_COLUMNS = `a.id, ${epochMs('a.signed_up_at')} AS signed_up_ms, s.plan_code, s.interval,
  ${epochMs('s.billing_cycle_anchor')} AS anchor_ms, ${epochMs('s.current_period_start')} AS period_start_ms,
  ${epochMs('s.current_period_end')} AS period_end_ms, s.items,
  rt.plan_code AS reverse_trial_plan, ${epochMs('rt.ends_at')} AS reverse_trial_ends_ms`;

// NOTE: the unique index subscriptions_one_live_per_account allows at most one live, hence at
// most one granting, subscription per account: a plain join cannot duplicate accounts.
// NOTE: account_trials_one_reverse_trial keeps one reverse trial per account: no duplicates either.
/** accounts a with its granting subscription s and open reverse trial rt; $2 is the list of granting statuses. */
export const CONTEXT_FROM = `accounts a LEFT JOIN subscriptions s ON s.account_id = a.id AND s.status = ANY($2::text[])
  LEFT JOIN account_trials rt ON rt.account_id = a.id AND rt.kind = 'reverse_trial' AND rt.outcome IS NULL`;

export const GRANTING = [...GRANTING_STATUSES];

const CONTEXT_SQL = `SELECT ${CONTEXT_COLUMNS} FROM ${CONTEXT_FROM} WHERE a.id = ANY($1::text[])`;

export function toContext(row: ContextRow): AccountUsageContext {
  const sub =
    row.plan_code &&
    row.interval &&
    row.anchor_ms !== null &&
    row.period_start_ms !== null &&
    row.period_end_ms !== null
      ? {
          interval: row.interval,
          billingCycleAnchor: new Date(row.anchor_ms),
          currentPeriodStart: new Date(row.period_start_ms),
          currentPeriodEnd: new Date(row.period_end_ms),
        }
      : null;
  return {
    accountId: row.id,
    signedUpAt: new Date(row.signed_up_ms),
    subscription: sub,
    planCode: sub ? (row.plan_code ?? FREE_PLAN) : FREE_PLAN,
    addOns: sub
      ? (row.items ?? []).filter((i) => i.kind === 'add_on').map((i) => ({ code: i.code, quantity: i.quantity }))
      : [],
    reverseTrial:
      row.reverse_trial_plan && row.reverse_trial_ends_ms !== null
        ? { planCode: row.reverse_trial_plan, endsAt: new Date(row.reverse_trial_ends_ms) }
        : null,
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
      name: 'usage_account_contexts_v3',
      text: CONTEXT_SQL,
      values: [accountIds, GRANTING],
    });
    return new Map(rows.map((row) => [row.id, toContext(row)]));
  }

  async context(accountId: string): Promise<AccountUsageContext | null> {
    return (await this.contexts([accountId])).get(accountId) ?? null;
  }
}
