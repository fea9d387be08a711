import { declineReasonCounts, recoveryCounts, type DeclineReasonCount } from '../lifecycle/decline-analytics';
import type { Pool } from 'pg';
import { STRIPE_PAID_BY } from '../shared/database/stripe-seconds';
import type { CollectedRow } from './collected-revenue';
import type { FunnelEvent } from './funnel';
import type { Holding } from './monthly-value';
import type { Cancellation, PurchaseRecord, RenewalChangeRecord } from './mrr-movements';

export interface Period {
  from: Date;
  to: Date;
}

/**
 * NOTE: a refund's time is the guarantee's (purchases.refunded_at, set when the guarantees module
 * refunds and reverses the purchase); a refund made elsewhere (the Stripe dashboard) is known by the
 * charge mirror (charges.updated_at, written from charge.refunded). Stripe is the source of truth for amounts.
 */
const REFUNDED_AT = `COALESCE(p.refunded_at, CASE WHEN c.amount_refunded > 0 THEN c.updated_at END)`;
/** Only a full refund reverses the change in MRR terms (a guarantee refund always reverts what was bought). */
const FULL_REFUND_AT = `COALESCE(p.refunded_at,
  CASE WHEN c.amount_refunded > 0 AND c.amount_refunded >= c.amount_captured THEN c.updated_at END)`;

/** NOTE: a conversion belongs to the last prompt the account clicked within the attribution window before it. */
const LAST_CLICK = (at: string) => `
  LEFT JOIN LATERAL (
    SELECT e.rule_id, e.placement, op.experiment_key || '/' || op.experiment_variant AS experiment
    FROM offer_events e JOIN offer_prompts op ON op.id = e.prompt_id
    WHERE e.account_id = a.id AND e.type = 'click' AND e.occurred_at <= ${at}
      AND e.occurred_at > ${at} - make_interval(days => $3)
    ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1
  ) clicked ON true`;

const FUNNEL_SQL = `
  SELECT e.type AS stage, e.occurred_at AS at, e.account_id AS account, e.rule_id AS offer, e.placement, a.country,
         op.experiment_key || '/' || op.experiment_variant AS experiment
  FROM offer_events e JOIN accounts a ON a.id = e.account_id JOIN offer_prompts op ON op.id = e.prompt_id
  WHERE e.type IN ('impression', 'click') AND e.occurred_at >= $1 AND e.occurred_at < $2
  UNION ALL
  SELECT 'quote', q.created_at, q.account_id, clicked.rule_id, clicked.placement, a.country, clicked.experiment
  FROM quotes q JOIN accounts a ON a.id = q.account_id ${LAST_CLICK('q.created_at')}
  WHERE q.created_at >= $1 AND q.created_at < $2
  UNION ALL
  SELECT 'paid_change', p.paid_at, p.account_id, clicked.rule_id, clicked.placement, a.country, clicked.experiment
  FROM purchases p JOIN accounts a ON a.id = p.account_id ${LAST_CLICK(STRIPE_PAID_BY('p.paid_at'))}
  WHERE p.paid_at >= $1 AND p.paid_at < $2
  UNION ALL
  SELECT 'refund', r.refunded_at, p.account_id, clicked.rule_id, clicked.placement, a.country, clicked.experiment
  FROM purchases p LEFT JOIN charges c ON c.id = p.stripe_charge_id JOIN accounts a ON a.id = p.account_id
  CROSS JOIN LATERAL (SELECT ${REFUNDED_AT} AS refunded_at) r
  ${LAST_CLICK(STRIPE_PAID_BY('p.paid_at'))}
  WHERE r.refunded_at >= $1 AND r.refunded_at < $2`;

const PURCHASES_SQL = `
  SELECT p.account_id, p.paid_at, p.currency, p.previous, p.bought, ${FULL_REFUND_AT} AS refunded_at
  FROM purchases p LEFT JOIN charges c ON c.id = p.stripe_charge_id
  WHERE (p.paid_at >= $1 AND p.paid_at < $2) OR (${FULL_REFUND_AT} >= $1 AND ${FULL_REFUND_AT} < $2)`;

/**
 * Money collected for payments made in the period: each purchase's (its charge's refunds, or the
 * whole amount when a guarantee refunded it before the charge mirror heard), and each paid renewal
 * invoice's. NOTE: a renewal has no purchase; its refunds reach it through the charge mirror's
 * invoice_id (invoice → payments → PaymentIntent ← charge).
 */
const COLLECTED_SQL = `
  WITH paid AS (
    SELECT p.currency, 'purchase' AS source, p.amount AS paid,
           CASE WHEN c.amount_refunded > 0 THEN c.amount_refunded
                WHEN p.refunded_at IS NOT NULL THEN p.amount ELSE 0 END AS refunded
    FROM purchases p LEFT JOIN charges c ON c.id = p.stripe_charge_id
    WHERE p.paid_at >= $1 AND p.paid_at < $2
    UNION ALL
    SELECT i.currency, 'renewal', i.amount_paid,
           COALESCE((SELECT sum(c.amount_refunded) FROM charges c WHERE c.invoice_id = i.id), 0)
    FROM invoices i
    WHERE i.billing_reason = 'subscription_cycle' AND i.status = 'paid' AND i.paid_at >= $1 AND i.paid_at < $2
  )
  SELECT currency,
         (sum(paid) FILTER (WHERE source = 'purchase'))::text AS purchases,
         (sum(paid) FILTER (WHERE source = 'renewal'))::text AS renewals,
         (count(*) FILTER (WHERE source = 'renewal'))::int AS renewal_invoices,
         sum(refunded)::text AS refunded
  FROM paid GROUP BY currency ORDER BY currency`;

export interface SubscriptionRow {
  accountId: string;
  status: string;
  currency: string;
  holding: Holding;
  createdAt: Date;
  /** When Stripe ended it (`ended_at`); null while it runs, even with a cancellation requested. */
  endedAt: Date | null;
}

/**
 * The read side of analytics: prompts, quotes, purchases, the invoice and charge mirrors, the
 * subscription mirror and the changes its sync recorded at renewals.
 */
export class AnalyticsRepository {
  constructor(private readonly pool: () => Pool) {}

  /** Declines with a reason per offer, locale and reason (lifecycle, issue #20). */
  declineReasons(period: Period): Promise<DeclineReasonCount[]> {
    return declineReasonCounts(this.pool(), period);
  }

  /** Abandoned Checkout recoveries raised and converted (lifecycle, issue #20). */
  recoveries(period: Period): Promise<{ raised: number; converted: number }> {
    return recoveryCounts(this.pool(), period);
  }

  async funnelEvents(period: Period, attributionDays: number): Promise<FunnelEvent[]> {
    const { rows } = await this.pool().query<{
      stage: FunnelEvent['stage'];
      at: Date;
      account: string;
      offer: string | null;
      placement: string | null;
      country: string;
      experiment: string | null;
    }>(FUNNEL_SQL, [period.from, period.to, attributionDays]);
    return rows;
  }

  async purchases(period: Period): Promise<PurchaseRecord[]> {
    const { rows } = await this.pool().query<{
      account_id: string;
      paid_at: Date;
      currency: string;
      previous: Holding;
      bought: Holding;
      refunded_at: Date | null;
    }>(PURCHASES_SQL, [period.from, period.to]);
    return rows.map((r) => ({
      accountId: r.account_id,
      paidAt: r.paid_at,
      currency: r.currency,
      previous: r.previous,
      bought: r.bought,
      refundedAt: r.refunded_at,
    }));
  }

  async subscriptions(): Promise<SubscriptionRow[]> {
    const { rows } = await this.pool().query<{
      account_id: string;
      status: string;
      currency: string;
      plan_code: string;
      interval: 'month' | 'year';
      items: Holding['items'];
      stripe_created_at: Date;
      ended_at: Date | null;
    }>(
      `SELECT account_id, status, currency, plan_code, interval, items, stripe_created_at, ended_at FROM subscriptions`,
    );
    return rows.map((r) => ({
      accountId: r.account_id,
      status: r.status,
      currency: r.currency,
      holding: { plan: r.plan_code, interval: r.interval, items: r.items },
      createdAt: r.stripe_created_at,
      endedAt: r.ended_at,
    }));
  }

  /** Changes Stripe applied at a renewal in the period (scheduled downgrades), as the mirror's sync recorded them. */
  async renewalChanges(period: Period): Promise<RenewalChangeRecord[]> {
    const { rows } = await this.pool().query<{
      account_id: string;
      effective_at: Date;
      recorded_at: Date;
      currency: string;
      previous: Holding;
      current: Holding;
    }>(
      `SELECT account_id, effective_at, recorded_at, currency, previous, current FROM subscription_renewal_changes
       WHERE effective_at >= $1 AND effective_at < $2`,
      [period.from, period.to],
    );
    return rows.map((r) => ({
      accountId: r.account_id,
      effectiveAt: r.effective_at,
      recordedAt: r.recorded_at,
      currency: r.currency,
      previous: r.previous,
      current: r.current,
    }));
  }

  /** What Stripe collected for purchases and renewal invoices paid in the period, per currency. */
  async collected(period: Period): Promise<CollectedRow[]> {
    const { rows } = await this.pool().query<CollectedRow>(COLLECTED_SQL, [period.from, period.to]);
    return rows;
  }

  /** Purchases paid in the period, and how many of them were refunded (the guarantee refund rate). */
  async refundCounts(period: Period): Promise<{ purchases: number; refunded: number }> {
    const { rows } = await this.pool().query<{ purchases: number; refunded: number }>(
      `SELECT count(*)::int AS purchases,
              count(*) FILTER (WHERE p.refunded_at IS NOT NULL OR c.amount_refunded > 0)::int AS refunded
       FROM purchases p LEFT JOIN charges c ON c.id = p.stripe_charge_id
       WHERE p.paid_at >= $1 AND p.paid_at < $2`,
      [period.from, period.to],
    );
    return rows[0] ?? { purchases: 0, refunded: 0 };
  }
}

export function cancellationsOf(subscriptions: readonly SubscriptionRow[]): Cancellation[] {
  return subscriptions.flatMap((s) =>
    s.status === 'canceled' && s.endedAt
      ? [
          {
            accountId: s.accountId,
            startedAt: s.createdAt,
            endedAt: s.endedAt,
            currency: s.currency,
            holding: s.holding,
          },
        ]
      : [],
  );
}
