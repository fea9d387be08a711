import crypto from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { isLaneTaken, laneTakenError } from '../billing/billing-lane';
import { conflict } from '../shared/errors';
import type { PriorClaim } from './guarantee.types';

export type ClaimState = 'claimed' | 'refunded' | 'completed' | 'failed';

export interface RefundClaim {
  id: string;
  accountId: string;
  purchaseId: string;
  product: string;
  purchaseKind: string;
  source: 'customer' | 'operator';
  withinPolicy: boolean;
  /** Take back what was bought after the refund (operators may refund without it). */
  reverse: boolean;
  reason: string;
  requestedBy: string;
  state: ClaimState;
  currency: string;
  amount: number;
  stripeChargeId: string | null;
  stripeRefundId: string | null;
  reversal: Record<string, unknown> | null;
  confirmedAt: Date | null;
  completedAt: Date | null;
  createdAt: Date;
}

type Row = Record<string, unknown>;

const fromRow = (row: Row): RefundClaim => ({
  id: row.id as string,
  accountId: row.account_id as string,
  purchaseId: row.purchase_id as string,
  product: row.product as string,
  purchaseKind: row.purchase_kind as string,
  source: row.source as RefundClaim['source'],
  withinPolicy: row.within_policy as boolean,
  reverse: row.reverse as boolean,
  reason: row.reason as string,
  requestedBy: row.requested_by as string,
  state: row.state as ClaimState,
  currency: row.currency as string,
  amount: Number(row.amount),
  stripeChargeId: row.stripe_charge_id as string | null,
  stripeRefundId: row.stripe_refund_id as string | null,
  reversal: row.reversal as Record<string, unknown> | null,
  confirmedAt: row.confirmed_at as Date | null,
  completedAt: row.completed_at as Date | null,
  createdAt: row.created_at as Date,
});

/** How long one request owns a claim before a retry may carry it forward. */
const LEASE_SECONDS = 60;

/** Stripe idempotency key of one step of a claim: derived from its id, never random. */
export const claimKey = (claim: Pick<RefundClaim, 'id'>, step: string) => `claim-${claim.id}-${step}`;

export interface NewClaim {
  accountId: string;
  purchaseId: string;
  product: string;
  purchaseKind: string;
  source: 'customer' | 'operator';
  withinPolicy: boolean;
  onceKey: string | null;
  reverse: boolean;
  reason: string;
  requestedBy: string;
  currency: string;
  amount: number;
  stripeChargeId: string | null;
}

/** The refund_claims table: each refund's record and journal (claimed → refunded → completed | failed). */
export const refundClaims = {
  /**
   * Inserts the claim with its lease. NOTE: the partial unique indexes are the per-purchase
   * and per-product locks: of parallel claims exactly one row is inserted; the others are 409.
   */
  async insert(db: DataSource | EntityManager, claim: NewClaim): Promise<RefundClaim> {
    try {
      const rows: Row[] = await db.query(
        `INSERT INTO refund_claims (id, account_id, purchase_id, product, purchase_kind, source, within_policy, once_key,
           reason, requested_by, state, currency, amount, stripe_charge_id, lease_until, reverse)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'claimed', $11, $12, $13, now() + make_interval(secs => $14), $15)
         RETURNING *`,
        [
          `rfc_${crypto.randomBytes(12).toString('hex')}`,
          claim.accountId,
          claim.purchaseId,
          claim.product,
          claim.purchaseKind,
          claim.source,
          claim.withinPolicy,
          claim.onceKey,
          claim.reason,
          claim.requestedBy,
          claim.currency,
          claim.amount,
          claim.stripeChargeId,
          LEASE_SECONDS,
          claim.reverse,
        ],
      );
      return fromRow(rows[0] as Row);
    } catch (error) {
      const constraint = (error as { constraint?: string }).constraint;
      if (constraint === 'refund_claims_one_per_purchase')
        throw conflict('already_refunded', 'This purchase already has a refund claim.');
      if (constraint === 'refund_claims_once_per_product')
        throw conflict('already_claimed', 'This product has already been refunded once for this account.');
      // NOTE: a claim takes the account's billing lane; a change (or another refund) holds it.
      if (isLaneTaken(error)) throw await laneTakenError(db, claim.accountId);
      throw error;
    }
  },

  /** The live claim of a purchase, taken over when its lease has lapsed (a crash or a 5xx); else undefined. */
  async takeOver(dataSource: DataSource, purchaseId: string): Promise<RefundClaim | undefined> {
    const [rows]: [Row[], number] = await dataSource.query(
      `UPDATE refund_claims SET lease_until = now() + make_interval(secs => $2), updated_at = now()
       WHERE purchase_id = $1 AND state IN ('claimed', 'refunded') AND (lease_until IS NULL OR lease_until < now())
       RETURNING *`,
      [purchaseId, LEASE_SECONDS],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  },

  /** Purchases whose claim a crash or an outage left unfinished, lease lapsed: the janitor's work list. */
  async interruptedPurchaseIds(dataSource: DataSource): Promise<string[]> {
    const rows: Array<{ purchase_id: string }> = await dataSource.query(
      `SELECT purchase_id FROM refund_claims
       WHERE state IN ('claimed', 'refunded') AND (lease_until IS NULL OR lease_until < now())
       ORDER BY updated_at LIMIT 100`,
    );
    return rows.map((row) => row.purchase_id);
  },

  async releaseLease(dataSource: DataSource, id: string): Promise<void> {
    await dataSource.query('UPDATE refund_claims SET lease_until = NULL WHERE id = $1', [id]);
  },

  async markRefunded(dataSource: DataSource, id: string, refund: { id: string; charge: string | null }): Promise<void> {
    await dataSource.query(
      `UPDATE refund_claims SET state = 'refunded', stripe_refund_id = $2,
         stripe_charge_id = COALESCE($3, stripe_charge_id), updated_at = now() WHERE id = $1 AND state = 'claimed'`,
      [id, refund.id, refund.charge],
    );
  },

  async complete(manager: EntityManager, id: string, reversal: Record<string, unknown>): Promise<void> {
    await manager.query(
      `UPDATE refund_claims SET state = 'completed', reversal = $2, completed_at = now(), lease_until = NULL,
         updated_at = now() WHERE id = $1 AND state IN ('claimed', 'refunded')`,
      [id, JSON.stringify(reversal)],
    );
  },

  /** A definite refusal from Stripe: nothing was refunded, so the locks are released. */
  async fail(dataSource: DataSource, id: string, error: Record<string, unknown>): Promise<void> {
    await dataSource.query(
      `UPDATE refund_claims SET state = 'failed', error = $2, lease_until = NULL, updated_at = now() WHERE id = $1`,
      [id, JSON.stringify(error)],
    );
  },

  /**
   * `charge.refunded` seen (the charge mirror was just written from Stripe's current charge, in
   * this transaction): the live claims of that charge are confirmed once Stripe shows at least
   * what they asked for, even when the event outran the claim's own record of its refund.
   * Changes nothing else.
   */
  async confirm(manager: EntityManager, chargeId: string): Promise<number> {
    const [, count]: [unknown, number] = await manager.query(
      `UPDATE refund_claims rc SET confirmed_at = now(), updated_at = now()
       FROM charges c
       WHERE c.id = $1 AND rc.stripe_charge_id = c.id AND rc.state <> 'failed' AND rc.confirmed_at IS NULL
         AND c.amount_refunded >= (SELECT sum(amount) FROM refund_claims
                                   WHERE stripe_charge_id = c.id AND state <> 'failed')`,
      [chargeId],
    );
    return count;
  },

  async find(dataSource: DataSource, id: string): Promise<RefundClaim | undefined> {
    const rows: Row[] = await dataSource.query('SELECT * FROM refund_claims WHERE id = $1', [id]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  },

  async ofAccount(db: DataSource | EntityManager, accountId: string): Promise<RefundClaim[]> {
    const rows: Row[] = await db.query(
      `SELECT * FROM refund_claims WHERE account_id = $1 AND state <> 'failed' ORDER BY created_at`,
      [accountId],
    );
    return rows.map(fromRow);
  },

  async list(dataSource: DataSource, query: { limit: number; accountId?: string }): Promise<RefundClaim[]> {
    const rows: Row[] = await dataSource.query(
      `SELECT * FROM refund_claims WHERE ($1::text IS NULL OR account_id = $1) ORDER BY created_at DESC LIMIT $2`,
      [query.accountId ?? null, query.limit],
    );
    return rows.map(fromRow);
  },

  /**
   * Serialises claim decisions per account until the transaction ends. NOTE: limits that span
   * purchases (cycling, once per product) are decided on the claims read under this lock, so two
   * parallel claims for different products cannot both slip under the limit.
   */
  async lockAccount(manager: EntityManager, accountId: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`refund-claims:${accountId}`]);
  },

  async audit(
    manager: EntityManager,
    entry: { claimId: string | null; actor: string; action: string; reason: string; details?: object },
  ): Promise<void> {
    await manager.query(
      'INSERT INTO refund_audit_log (claim_id, actor, action, reason, details) VALUES ($1, $2, $3, $4, $5)',
      [entry.claimId, entry.actor, entry.action, entry.reason, JSON.stringify(entry.details ?? {})],
    );
  },
};

/** Pure: claims as eligibility sees them. */
export const priorClaimsOf = (claims: readonly RefundClaim[]): PriorClaim[] =>
  claims.map((claim) => ({
    purchaseId: claim.purchaseId,
    product: claim.product,
    withinPolicy: claim.withinPolicy,
    at: claim.createdAt,
  }));
