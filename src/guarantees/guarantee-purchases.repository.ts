import type { DataSource, EntityManager } from 'typeorm';
import type { CoveredPurchase } from './guarantee.types';
import { categorise, type PurchaseFacts } from './purchase-category';

/** A plan and its items with their Stripe prices, as billing recorded them. */
type PricedItems = {
  plan?: string;
  items?: Array<{ kind: 'plan' | 'add_on'; code: string; quantity: number; price: string }>;
};

/** One purchase as a claim needs it: the eligibility facts and how to refund and reverse it. */
export interface ClaimablePurchase extends CoveredPurchase {
  accountId: string;
  kind: PurchaseFacts['kind'];
  bought: PricedItems;
  previous: PricedItems;
  stripeSubscriptionId: string | null;
  /** The invoice that paid it: the purchase's lines in the ledger. */
  stripeInvoiceId: string | null;
  stripePaymentIntentId: string | null;
  stripeChargeId: string | null;
  refundedAt: Date | null;
}

interface Row extends PurchaseFacts {
  bought: PricedItems;
  previous: PricedItems;
  id: string;
  account_id: string;
  amount: string;
  currency: string;
  paid_at: Date;
  starts_at: Date | null;
  refunded_at: Date | null;
  stripe_subscription_id: string | null;
  stripe_invoice_id: string | null;
  stripe_payment_intent_id: string | null;
  stripe_charge_id: string | null;
  period_end: Date | null;
  amount_refunded: string | null;
}

const SELECT = `SELECT p.*, s.current_period_end AS period_end, c.amount_refunded
  FROM purchases p
  LEFT JOIN subscriptions s ON s.id = p.stripe_subscription_id
  LEFT JOIN charges c ON c.id = p.stripe_charge_id`;

function fromRow(row: Row): ClaimablePurchase {
  const { category, product } = categorise(row);
  return {
    id: row.id,
    accountId: row.account_id,
    kind: row.kind,
    category,
    product,
    amount: Number(row.amount),
    currency: row.currency,
    paidAt: row.paid_at,
    periodEnd: row.kind === 'one_time' ? null : row.period_end,
    startsAt: row.starts_at,
    alreadyRefunded: Number(row.amount_refunded ?? 0),
    bought: row.bought,
    previous: row.previous,
    stripeSubscriptionId: row.stripe_subscription_id,
    stripeInvoiceId: row.stripe_invoice_id,
    stripePaymentIntentId: row.stripe_payment_intent_id,
    stripeChargeId: row.stripe_charge_id,
    refundedAt: row.refunded_at,
  };
}

export const guaranteePurchases = {
  /** Every paid purchase of the account, oldest first (free changes bought nothing to refund). */
  async ofAccount(dataSource: DataSource, accountId: string): Promise<ClaimablePurchase[]> {
    const rows: Row[] = await dataSource.query(
      `${SELECT} WHERE p.account_id = $1 AND p.amount > 0 ORDER BY p.paid_at`,
      [accountId],
    );
    return rows.map(fromRow);
  },

  async find(dataSource: DataSource, id: string): Promise<ClaimablePurchase | undefined> {
    const rows: Row[] = await dataSource.query(`${SELECT} WHERE p.id = $1`, [id]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  },

  async markRefunded(manager: EntityManager, id: string): Promise<void> {
    await manager.query('UPDATE purchases SET refunded_at = now() WHERE id = $1 AND refunded_at IS NULL', [id]);
  },
};
