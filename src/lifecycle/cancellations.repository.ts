import type { EntityManager } from 'typeorm';

export const CANCEL_REASONS = ['too_expensive', 'missing_feature', 'not_using', 'switching', 'other'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

export interface CancellationRecord {
  operationId: string;
  accountId: string;
  subscriptionId: string;
  reason: CancelReason | null;
  reasonText: string | null;
  effectiveAt: Date | null;
  at: Date;
}

/**
 * A cancellation and its reason, in the caller's transaction (the one that finishes the cancel
 * operation); once per operation.
 */
export async function recordCancellation(manager: EntityManager, record: CancellationRecord): Promise<void> {
  const rows: unknown[] = await manager.query(
    `INSERT INTO subscription_cancellations
       (operation_id, account_id, subscription_id, plan_code, reason, reason_text, effective_at, created_at)
     SELECT $1, $2, $3, COALESCE((SELECT plan_code FROM subscriptions WHERE id = $3), 'unknown'), $4, $5, $6, $7
     ON CONFLICT (operation_id) DO NOTHING
     RETURNING plan_code`,
    [
      record.operationId,
      record.accountId,
      record.subscriptionId,
      record.reason,
      record.reasonText,
      record.effectiveAt,
      record.at,
    ],
  );
  if (!rows[0]) return;
  // NOTE: `subscription.canceled` itself comes from the trigger on `subscriptions` (migration
  // OutboundEventTriggers), which also sees cancellations made in Stripe's dashboard or by failed
  // payments; the mirror wrote it before this transaction. The customer's reason joins that one
  // event while it has not been fanned out to endpoints (a delivered body never changes).
  await manager.query(
    `UPDATE outbound_events e
        SET data = e.data || jsonb_build_object('reason', $2::text, 'reason_text', $3::text)
       FROM subscriptions s
      WHERE s.id = $1
        AND e.dedupe_key = format('subscription.canceled:%s:%s', s.id, extract(epoch FROM s.current_period_end)::bigint)
        AND e.fanned_out_at IS NULL`,
    [record.subscriptionId, record.reason, record.reasonText],
  );
}

/** A cancel preview shown, with the alternative it offered (for saves in the lifecycle analytics). */
export async function recordCancelPreview(
  manager: { query(text: string, values?: unknown[]): Promise<unknown> },
  preview: {
    accountId: string;
    subscriptionId: string;
    planCode: string;
    alternative: { plan: string; interval: string } | null;
    at: Date;
  },
): Promise<void> {
  await manager.query(
    `INSERT INTO cancel_previews (account_id, subscription_id, plan_code, alternative_plan, alternative_interval, created_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      preview.accountId,
      preview.subscriptionId,
      preview.planCode,
      preview.alternative?.plan ?? null,
      preview.alternative?.interval ?? null,
      preview.at,
    ],
  );
}
