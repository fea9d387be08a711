import type { DataSource, EntityManager } from 'typeorm';
import { intervalAmount, resolvePriceList } from '../catalog/price-lists';
import type { Catalog } from '../catalog/catalog.types';
import { recordOutboundEvent } from '../events/record-outbound-event';
import { formatMoney } from '../shared/money';

/** How long after it is raised a recovery may still be shown and converted. */
export const RECOVERY_DAYS = 7;

interface Abandoned {
  operation_id: string;
  account_id: string;
  session_id: string;
  plan_code: string;
  interval: 'month' | 'year';
  cause: 'open_too_long' | 'expired';
}

// NOTE: plan Checkouts only (subscription mode), of accounts still without a live subscription;
// a superseded session is not abandoned (the customer went on with another change).
const ABANDONED_SQL = `
  SELECT o.id AS operation_id, o.account_id, o.stripe_object_id AS session_id,
         o.stripe_params->'bought'->>'plan' AS plan_code, o.stripe_params->'bought'->>'interval' AS interval,
         CASE WHEN o.state = 'failed' THEN 'expired' ELSE 'open_too_long' END AS cause
    FROM billing_operations o
   WHERE o.kind = 'checkout' AND o.stripe_object_id LIKE 'cs\\_%'
     AND coalesce(o.stripe_params->>'mode', 'subscription') = 'subscription'
     AND ((o.state = 'awaiting_customer' AND o.created_at <= $1::timestamptz - make_interval(mins => $2))
          OR (o.state = 'failed' AND o.result->>'status' = 'expired' AND o.created_at > $1::timestamptz - interval '7 days'))
     AND NOT EXISTS (SELECT 1 FROM checkout_recoveries r WHERE r.session_id = o.stripe_object_id)
     AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.account_id = o.account_id
                      AND s.status IN ('trialing', 'active', 'past_due'))`;

/**
 * Raises one recovery per abandoned Checkout session (open past `delayMinutes`, or expired) and its
 * `checkout.abandoned`, in one transaction each; a session already recovered is never raised
 * again (primary key and the event's dedupe key). Returns how many were raised.
 */
export async function raiseCheckoutRecoveries(
  dataSource: DataSource,
  now: Date,
  delayMinutes: number,
): Promise<number> {
  const abandoned: Abandoned[] = await dataSource.query(ABANDONED_SQL, [now, delayMinutes]);
  let raised = 0;
  for (const row of abandoned) {
    if (row.interval !== 'month' && row.interval !== 'year') continue;
    await dataSource.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO checkout_recoveries (session_id, operation_id, account_id, plan_code, interval, cause, raised_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (session_id) DO NOTHING RETURNING session_id`,
        [row.session_id, row.operation_id, row.account_id, row.plan_code, row.interval, row.cause, now],
      );
      if (inserted.length === 0) return;
      raised += 1;
      await recordOutboundEvent(manager, {
        type: 'checkout.abandoned',
        accountId: row.account_id,
        data: { session: row.session_id, plan: row.plan_code, interval: row.interval, cause: row.cause },
        dedupeKey: `checkout.abandoned:${row.session_id}`,
        occurredAt: now,
      });
    });
  }
  return raised;
}

/** A plan Checkout paid: the account's open recovery (raised before, within 7 days) is converted by it. */
export async function convertCheckoutRecovery(
  manager: EntityManager,
  input: { accountId: string; operationId: string; paidAt: Date },
): Promise<void> {
  await manager.query(
    `WITH done AS (
       UPDATE checkout_recoveries SET converted_operation_id = $2, converted_at = $3
        WHERE account_id = $1 AND converted_at IS NULL
          AND raised_at <= $3 AND raised_at > $3::timestamptz - make_interval(days => $4)
       RETURNING session_id)
     SELECT * FROM done`,
    [input.accountId, input.operationId, input.paidAt, RECOVERY_DAYS],
  );
}

export interface RecoveryPrompt {
  id: string;
  kind: 'checkout_recovery';
  plan: string;
  interval: 'month' | 'year';
  price: { amount: number; currency: string; formatted: string };
  raised_at: string;
}

/** The account's open recoveries, re-priced from the catalog now (the price is current, not the session's). */
export async function recoveryPrompts(
  deps: { dataSource: DataSource; catalog: Catalog },
  account: { id: string; country: string; locale: string },
  now: Date,
): Promise<RecoveryPrompt[]> {
  const rows: Array<{ session_id: string; plan_code: string; interval: 'month' | 'year'; raised_at: Date }> =
    await deps.dataSource.query(
      `SELECT session_id, plan_code, interval, raised_at FROM checkout_recoveries r
        WHERE account_id = $1 AND converted_at IS NULL AND raised_at <= $2
          AND raised_at > $2::timestamptz - make_interval(days => $3)
          AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.account_id = r.account_id
                           AND s.status IN ('trialing', 'active', 'past_due'))
        ORDER BY raised_at DESC LIMIT 1`,
      [account.id, now, RECOVERY_DAYS],
    );
  const currency = resolvePriceList(deps.catalog, account.country).currency;
  const prompts: RecoveryPrompt[] = [];
  for (const row of rows) {
    const plan = deps.catalog.plans.find((candidate) => candidate.code === row.plan_code);
    const amount = plan ? intervalAmount(plan.prices, row.interval, currency) : undefined;
    if (!plan || amount === undefined) continue;
    prompts.push({
      id: `rcv_${row.session_id}`,
      kind: 'checkout_recovery',
      plan: plan.code,
      interval: row.interval,
      price: { amount, currency, formatted: formatMoney(amount, currency, account.locale) },
      raised_at: new Date(row.raised_at).toISOString(),
    });
  }
  return prompts;
}
