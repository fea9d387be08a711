import type { EntityManager } from 'typeorm';
import { recordOutboundEvent } from '../events/record-outbound-event';

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
 * A cancellation and its reason, with `subscription.canceled`, in the caller's transaction (the one
 * that finishes the cancel operation); once per operation.
 */
export async function recordCancellation(manager: EntityManager, record: CancellationRecord): Promise<void> {
  const rows: Array<{ plan_code: string }> = await manager.query(
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
  const row = rows[0];
  if (!row) return;
  await recordOutboundEvent(manager, {
    type: 'subscription.canceled',
    accountId: record.accountId,
    data: {
      subscription: record.subscriptionId,
      plan: row.plan_code,
      at_period_end: true,
      effective_at: record.effectiveAt?.toISOString() ?? null,
      reason: record.reason,
      reason_text: record.reasonText,
    },
    dedupeKey: `subscription.canceled:${record.operationId}`,
    occurredAt: record.at,
  });
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
