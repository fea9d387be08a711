import type { Pool } from 'pg';
import { GRANTING_STATUSES, type SubscriptionItem } from '../billing/subscription.entity';
import type { OfferAccount, OfferHistoryEvent, OfferSubscription } from './offers.types';

export interface OfferContext {
  account: OfferAccount;
  subscription: OfferSubscription | null;
  history: OfferHistoryEvent[];
}

interface ContextRow {
  id: string;
  country: string;
  locale: string;
  industry: string | null;
  company_size: string | null;
  signed_up_at: Date;
  plan_code: string | null;
  interval: 'month' | 'year' | null;
  currency: string | null;
  current_period_start: Date | null;
  current_period_end: Date | null;
  cancel_at_period_end: boolean | null;
  stripe_created_at: Date | null;
  items: SubscriptionItem[] | null;
  history: Array<[string, string, OfferHistoryEvent['type'], string]>;
}

// NOTE: one round trip: the account, its granting subscription and its recent prompt history ("never" at any age).
const CONTEXT_SQL = `
  SELECT a.id, a.country, a.locale, a.industry, a.company_size, a.signed_up_at,
         s.plan_code, s.interval, s.currency, s.current_period_start, s.current_period_end,
         s.cancel_at_period_end, s.stripe_created_at, s.items,
         (SELECT coalesce(json_agg(json_build_array(e.rule_id, e.prompt_id, e.type, e.occurred_at)), '[]'::json)
            FROM offer_events e
           WHERE e.account_id = a.id AND (e.occurred_at > $2 OR e.type = 'never')) AS history
  FROM accounts a
  LEFT JOIN LATERAL (
    SELECT * FROM subscriptions s WHERE s.account_id = a.id AND s.status = ANY($3::text[])
    ORDER BY s.current_period_end DESC LIMIT 1
  ) s ON true
  WHERE a.id = $1`;

/** Reads what the evaluator needs to know of one account, besides usage. */
export class OfferContextRepository {
  constructor(private readonly pool: () => Pool) {}

  async load(accountId: string, historySince: Date): Promise<OfferContext | null> {
    const { rows } = await this.pool().query<ContextRow>({
      name: 'offer_context_v1',
      text: CONTEXT_SQL,
      values: [accountId, historySince.toISOString(), [...GRANTING_STATUSES]],
    });
    const row = rows[0];
    if (!row) return null;
    return {
      account: {
        id: row.id,
        country: row.country.trim(),
        locale: row.locale,
        industry: row.industry,
        companySize: row.company_size,
        signedUpAt: row.signed_up_at,
      },
      subscription: subscriptionOf(row),
      history: row.history.map(([ruleId, promptId, type, at]) => ({ ruleId, promptId, type, at: new Date(at) })),
    };
  }
}

function subscriptionOf(row: ContextRow): OfferSubscription | null {
  if (!row.plan_code || !row.interval || !row.currency || !row.current_period_start || !row.current_period_end)
    return null;
  const started = row.stripe_created_at ?? row.current_period_start;
  return {
    planCode: row.plan_code,
    interval: row.interval,
    currency: row.currency,
    currentPeriodStart: row.current_period_start,
    currentPeriodEnd: row.current_period_end,
    cancelAtPeriodEnd: row.cancel_at_period_end ?? false,
    startedAt: started,
    // NOTE: the mirror has no plan-change time yet; a plan bought by checkout starts its own subscription.
    planSince: started,
    addOns: (row.items ?? []).filter((i) => i.kind === 'add_on').map((i) => ({ code: i.code, quantity: i.quantity })),
  };
}
