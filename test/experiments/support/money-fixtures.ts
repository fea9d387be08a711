import type { TestApp } from '../../support/test-app';

let sequence = 0;

export interface SeededPurchase {
  accountId: string;
  kind?: 'plan_change' | 'add_on' | 'subscription_start';
  bought: { plan?: string; interval?: string; items?: Array<{ kind: string; code: string; quantity: number }> };
  previous?: { plan?: string; items?: Array<{ kind: string; code: string; quantity: number }> };
  amount: number;
  currency?: string;
  paidAt: Date;
  /** What Stripe refunded of the charge (mirrored in charges.amount_refunded). */
  refunded?: number;
  /** When the refund reached the charge mirror (charges.updated_at). */
  refundedAt?: Date;
}

/** A paid change as billing and the webhook mirror record it: journal row, purchase, and Stripe's charge. */
export async function seedPurchase(t: TestApp, p: SeededPurchase): Promise<string> {
  sequence += 1;
  const id = `${p.accountId}_${sequence}`;
  const currency = p.currency ?? 'usd';
  await t.db.dataSource.query(
    `INSERT INTO billing_operations (id, account_id, kind, state, stripe_idempotency_key, stripe_params)
     VALUES ($1, $2, 'update', 'completed', $1, '{}'::jsonb)`,
    [`op_${id}`, p.accountId],
  );
  await t.db.dataSource.query(
    `INSERT INTO charges (id, account_id, customer_id, amount, amount_captured, amount_refunded, currency, status,
                          refunded, stripe_created_at, updated_at)
     VALUES ($1, $2, $3, $4, $4, $5, $6, 'succeeded', $7, $8, $9)`,
    [
      `ch_${id}`,
      p.accountId,
      `cus_${p.accountId}`,
      p.amount,
      p.refunded ?? 0,
      currency,
      p.refunded === p.amount,
      p.paidAt,
      // NOTE: the mirror's updated_at dates a refund made outside the guarantees module; never the wall clock.
      p.refundedAt ?? p.paidAt,
    ],
  );
  await t.db.dataSource.query(
    `INSERT INTO purchases (id, account_id, operation_id, kind, bought, previous, currency, amount, stripe_charge_id, paid_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      `pur_${id}`,
      p.accountId,
      `op_${id}`,
      p.kind ?? 'plan_change',
      JSON.stringify(p.bought),
      JSON.stringify(p.previous ?? {}),
      currency,
      p.amount,
      `ch_${id}`,
      p.paidAt,
    ],
  );
  return `pur_${id}`;
}
