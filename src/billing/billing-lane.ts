import { EntityManager, type DataSource } from 'typeorm';
import { conflict, type AppError } from '../shared/errors';

/** Who holds an account's billing lane (see migration BillingLanes). */
export interface LaneHolder {
  kind: 'operation' | 'refund_claim';
  id: string;
  /** The holder's own kind (`update`, `checkout`, … for operations) and state. */
  holderKind: string | null;
  state: string | null;
  /** What the customer was last told (`requires_action`, `checkout_required`, …), when known. */
  status: string | null;
}

/** True when a write failed because the account's lane is already held (billing_lanes_pkey). */
export function isLaneTaken(error: unknown): boolean {
  return (error as { constraint?: string } | null)?.constraint === 'billing_lanes_pkey';
}

export async function laneHolder(db: DataSource | EntityManager, accountId: string): Promise<LaneHolder | undefined> {
  const rows: Array<{
    holder_kind: 'operation' | 'refund_claim';
    holder_id: string;
    op_kind: string | null;
    op_state: string | null;
    op_status: string | null;
    claim_state: string | null;
  }> = await db.query(
    `SELECT l.holder_kind, l.holder_id, o.kind AS op_kind, o.state AS op_state, o.result->>'status' AS op_status,
            c.state AS claim_state
       FROM billing_lanes l
       LEFT JOIN billing_operations o ON l.holder_kind = 'operation' AND o.id = l.holder_id
       LEFT JOIN refund_claims c ON l.holder_kind = 'refund_claim' AND c.id = l.holder_id
      WHERE l.account_id = $1`,
    [accountId],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    kind: row.holder_kind,
    id: row.holder_id,
    holderKind: row.holder_kind === 'operation' ? row.op_kind : 'refund',
    state: row.op_state ?? row.claim_state,
    status: row.op_status,
  };
}

/**
 * The 409 a second money-moving request gets while the lane is held: it names the holder, so the
 * client can finish it (3-D Secure, Checkout), wait for it, or supersede it where that is allowed.
 */
export async function laneTakenError(db: DataSource | EntityManager, accountId: string): Promise<AppError> {
  // NOTE: the failed insert aborted the caller's transaction; the holder is read outside it.
  const holder = await laneHolder(db instanceof EntityManager ? db.connection : db, accountId);
  const what =
    holder?.kind === 'refund_claim'
      ? 'a refund'
      : holder?.state === 'awaiting_customer'
        ? `a ${holder.holderKind ?? 'billing'} change waiting on the customer (${holder.status ?? 'pending'})`
        : `a ${holder?.holderKind ?? 'billing'} change`;
  return conflict(
    'change_in_progress',
    `This account's billing is busy with ${what}${holder ? ` (${holder.id})` : ''}; finish or cancel it first, or retry shortly.`,
    holder
      ? {
          holder: {
            type: holder.kind,
            id: holder.id,
            kind: holder.holderKind,
            state: holder.state,
            status: holder.status,
          },
          ...(holder.kind === 'operation' ? { operation_id: holder.id } : { refund_id: holder.id }),
        }
      : {},
  );
}
