import type { PriceDecline } from '../lifecycle/decline-guardrail.rules';
import type { Pool } from 'pg';
import type { Catalog } from '../catalog/catalog.types';
import { purchasedItems } from '../billing/purchase-history';
import { GRANTING_STATUSES } from '../billing/subscription.entity';
import type { PriorClaim } from '../guarantees/guarantee.types';
import type { OfferAccount, OfferHistoryEvent, OfferSubscription, Purchase, UsageFacts } from './offers.types';
import { BatchedReads } from './batched-reads';
import { usageFactsOf } from './usage-facts';

export interface OfferContext {
  account: OfferAccount;
  subscription: OfferSubscription | null;
  usage: UsageFacts;
  /** Plans and add-ons bought, with when (billing's purchases). */
  purchases: Purchase[];
  history: OfferHistoryEvent[];
  /** Claims under the account's guarantees, failed ones excluded (guarantees' table, read-only). */
  refundClaims: PriorClaim[];
  /** Prompts declined as "too expensive" in the last 30 days (issue #20). */
  priceDeclines: PriceDecline[];
  /** Plans whose free trial the account already had (issue #20: one per plan, ever). */
  trialsUsed: string[];
}

type PurchaseRow = Parameters<typeof purchasedItems>[0][number];

interface ContextRow {
  /** The key's position in the read (1-based). */
  n: number;
  id: string;
  country: string;
  locale: string;
  industry: string | null;
  company_size: string | null;
  signed_up_at: Date;
  plan_code: string | null;
  interval: 'month' | 'year' | null;
  currency: string | null;
  billing_cycle_anchor: Date | null;
  current_period_start: Date | null;
  current_period_end: Date | null;
  cancel_at_period_end: boolean | null;
  stripe_created_at: Date | null;
  /** The subscription's add-on items (code, quantity), in their order; the plan item and Stripe's ids are not read. */
  add_ons: Array<[string, number]>;
  history: Array<[string, string, OfferHistoryEvent['type'], string]>;
  counters: Array<[string, string, number]>;
  gauges: Array<[string, number]>;
  crossings: Array<[string, number, string, string]>;
  purchases: Array<Omit<PurchaseRow, 'paid_at'> & { paid_at: string }>;
  refund_claims: Array<[string, string, boolean, string]>;
  price_declines: Array<[number, string, string, string]>;
  reverse_trial_plan: string | null;
  trials_used: string[];
}

// NOTE: one round trip for everything a decision reads: the account, its granting subscription,
// its usage rows, purchases and refund claims (usage, billing and guarantees tables, read-only), and its
// prompt history ("never" at any age), for several accounts at once, each at its own moment. Only the columns the decision uses: of the subscription's
// items, the add-ons' codes and quantities.
const CONTEXT_SQL = `
  SELECT q.n::int AS n, a.id, a.country, a.locale, a.industry, a.company_size, a.signed_up_at,
         s.plan_code, s.interval, s.currency, s.billing_cycle_anchor, s.current_period_start, s.current_period_end,
         s.cancel_at_period_end, s.stripe_created_at,
         (SELECT coalesce(json_agg(json_build_array(i.item->>'code', i.item->'quantity') ORDER BY i.n), '[]'::json)
            FROM jsonb_array_elements(coalesce(s.items, '[]'::jsonb)) WITH ORDINALITY AS i(item, n)
           WHERE i.item->>'kind' = 'add_on') AS add_ons,
         (SELECT coalesce(json_agg(json_build_array(e.rule_id, e.prompt_id, e.type, e.occurred_at)), '[]'::json)
            FROM offer_events e
           WHERE e.account_id = a.id AND (e.occurred_at > q.since OR e.type = 'never')) AS history,
         (SELECT coalesce(json_agg(json_build_array(c.feature, c.period_start, c.used)), '[]'::json)
            FROM (SELECT DISTINCT ON (feature) feature, period_start, used FROM usage_counters
                   WHERE account_id = a.id ORDER BY feature, period_start DESC) c) AS counters,
         (SELECT coalesce(json_agg(json_build_array(g.feature, g.value)), '[]'::json)
            FROM usage_gauges g WHERE g.account_id = a.id) AS gauges,
         (SELECT coalesce(json_agg(json_build_array(x.feature, x.threshold, x.period_start, x.crossed_at)), '[]'::json)
            FROM usage_threshold_crossings x WHERE x.account_id = a.id AND x.period_end > q.now) AS crossings,
         (SELECT coalesce(json_agg(json_build_object('kind', p.kind, 'bought', p.bought, 'previous', p.previous,
                                                     'paid_at', p.paid_at) ORDER BY p.paid_at), '[]'::json)
            FROM purchases p WHERE p.account_id = a.id) AS purchases,
         (SELECT coalesce(json_agg(json_build_array(r.purchase_id, r.product, r.within_policy, r.created_at)), '[]'::json)
            FROM refund_claims r WHERE r.account_id = a.id AND r.state <> 'failed') AS refund_claims,
         (SELECT coalesce(json_agg(json_build_array(d.amount, d.currency, d.offer_interval, d.occurred_at)), '[]'::json)
            FROM prompt_decline_reasons d
           WHERE d.account_id = a.id AND d.reason = 'too_expensive'
             AND d.occurred_at > q.now - interval '30 days') AS price_declines,
         (SELECT rt.plan_code FROM account_trials rt WHERE rt.account_id = a.id AND rt.kind = 'reverse_trial'
             AND rt.outcome IS NULL AND rt.ends_at > q.now) AS reverse_trial_plan,
         ARRAY(SELECT t.plan_code FROM account_trials t WHERE t.account_id = a.id AND t.kind = 'trial') AS trials_used
  FROM unnest($1::text[], $2::timestamptz[], $4::timestamptz[]) WITH ORDINALITY AS q(account_id, since, now, n)
  JOIN accounts a ON a.id = q.account_id
  LEFT JOIN LATERAL (
    SELECT s.plan_code, s.interval, s.currency, s.billing_cycle_anchor, s.current_period_start, s.current_period_end,
           s.cancel_at_period_end, s.stripe_created_at, s.items
      FROM subscriptions s WHERE s.account_id = a.id AND s.status = ANY($3::text[])
    ORDER BY s.current_period_end DESC LIMIT 1
  ) s ON true`;

interface ContextKey {
  accountId: string;
  now: Date;
  historySince: Date;
}

/** Context reads out at once per instance (the pool has others to serve) and accounts per read. */
const CONCURRENT_READS = 4;
const MAX_BATCH = 64;

/** Reads what the evaluator needs to know of one account. */
export class OfferContextRepository {
  constructor(
    private readonly pool: () => Pool,
    private readonly catalog: Catalog,
  ) {}

  /** Each key's row (each with its own moment), in the keys' order; undefined for an unknown account. */
  private async readRows(keys: readonly ContextKey[]): Promise<Array<ContextRow | undefined>> {
    const { rows } = await this.pool().query<ContextRow>({
      name: 'offer_context_v7',
      text: CONTEXT_SQL,
      values: [
        keys.map((k) => k.accountId),
        keys.map((k) => k.historySince.toISOString()),
        [...GRANTING_STATUSES],
        keys.map((k) => k.now.toISOString()),
      ],
    });
    const byPosition = new Map(rows.map((row) => [row.n, row]));
    return keys.map((_, i) => byPosition.get(i + 1));
  }

  // NOTE: a first view is mostly round trip (a write and a read of the socket each way, the protocol):
  // while reads are out, the accounts asked for meanwhile share the next one.
  private readonly reads = new BatchedReads<ContextKey, ContextRow | undefined>((keys) => this.readRows(keys), {
    concurrent: CONCURRENT_READS,
    maxBatch: MAX_BATCH,
  });

  async load(accountId: string, now: Date, historySince: Date): Promise<OfferContext | null> {
    const row = await this.reads.get({ accountId, now, historySince });
    if (!row) return null;
    const purchases = purchasedItems(row.purchases.map((p) => ({ ...p, paid_at: new Date(p.paid_at) })));
    const subscription = subscriptionOf(row, purchases);
    return {
      account: {
        id: row.id,
        country: row.country.trim(),
        locale: row.locale,
        industry: row.industry,
        companySize: row.company_size,
        signedUpAt: row.signed_up_at,
      },
      subscription,
      usage: usageFactsOf({
        catalog: this.catalog,
        signedUpAt: row.signed_up_at,
        subscription:
          subscription && row.billing_cycle_anchor
            ? { ...subscription, billingCycleAnchor: row.billing_cycle_anchor }
            : null,
        reverseTrialPlan: row.reverse_trial_plan,
        levels: {
          counters: row.counters.map(([feature, start, used]) => ({
            feature,
            periodStart: new Date(start),
            used: Number(used),
          })),
          gauges: row.gauges.map(([feature, value]) => ({ feature, value: Number(value) })),
          crossings: row.crossings.map(([feature, threshold, start, at]) => ({
            feature,
            threshold,
            periodStart: new Date(start),
            crossedAt: new Date(at),
          })),
        },
        now,
      }),
      purchases,
      history: row.history.map(([ruleId, promptId, type, at]) => ({ ruleId, promptId, type, at: new Date(at) })),
      refundClaims: row.refund_claims.map(([purchaseId, product, withinPolicy, at]) => ({
        purchaseId,
        product,
        withinPolicy,
        at: new Date(at),
      })),
      priceDeclines: row.price_declines.map(([amount, currency, interval, at]) => ({
        amount: Number(amount),
        currency,
        interval,
        at: new Date(at),
      })),
      trialsUsed: row.trials_used,
    };
  }
}

function subscriptionOf(row: ContextRow, purchases: readonly Purchase[]): OfferSubscription | null {
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
    // NOTE: an upgrade keeps its subscription: the plan dates from its latest purchase, else from the subscription's start.
    planSince: latestPurchase(purchases, row.plan_code) ?? started,
    addOns: row.add_ons.map(([code, quantity]) => ({ code, quantity })),
  };
}

function latestPurchase(purchases: readonly Purchase[], planCode: string): Date | null {
  let latest: Date | null = null;
  for (const p of purchases) if (p.kind === 'plan' && p.code === planCode && (!latest || p.at > latest)) latest = p.at;
  return latest;
}
