import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { DataSource, EntityManager } from 'typeorm';
import { conflict } from '../shared/errors';
import { isLaneTaken, laneTakenError } from './billing-lane';
import type { MirroredRow } from '../webhooks/sync-context';

export type OperationKind =
  | 'update'
  | 'schedule'
  | 'checkout'
  | 'cancel'
  | 'resume'
  | 'one_time'
  | 'cancel_schedule'
  | 'payment_method'
  | 'credit'
  | 'send_invoice'
  | 'extend_trial';
export type OperationState = 'claimed' | 'sent' | 'awaiting_customer' | 'completed' | 'failed';

export interface Operation {
  id: string;
  accountId: string;
  quoteId: string | null;
  kind: OperationKind;
  state: OperationState;
  stripeIdempotencyKey: string;
  stripeParams: Record<string, unknown>;
  stripeObjectId: string | null;
  result: Record<string, unknown> | null;
  attempts: number;
  createdAt: Date;
  /**
   * When this process claimed the operation (performance.now()), set only on the object the claim
   * returned: a request that has just claimed it knows the customer's consent still holds.
   */
  claimedHere?: number;
  /** The catalog version live when the claim was written (read by the claim's own statement). */
  liveCatalogVersion?: string | null;
  /** The subscription's mirror row as this run's completion committed it (for the answer, no re-read). */
  mirroredHere?: MirroredRow;
}

export interface OperationRow {
  id: string;
  account_id: string;
  quote_id: string | null;
  kind: OperationKind;
  state: OperationState;
  stripe_idempotency_key: string;
  stripe_params: Record<string, unknown>;
  stripe_object_id: string | null;
  result: Record<string, unknown> | null;
  attempts: number;
  created_at: Date;
}

export const fromRow = (row: OperationRow): Operation => ({
  id: row.id,
  accountId: row.account_id,
  quoteId: row.quote_id,
  kind: row.kind,
  state: row.state,
  stripeIdempotencyKey: row.stripe_idempotency_key,
  stripeParams: row.stripe_params,
  stripeObjectId: row.stripe_object_id,
  result: row.result,
  attempts: row.attempts,
  // NOTE: a row read through to_jsonb (quote.repository.ts) carries its timestamp as text.
  createdAt: new Date(row.created_at),
});

/** How long one worker owns an operation before another may take it over. */
/** Someone else finished the operation first: whatever this writer recorded alongside rolls back. */
export class OperationAlreadyFinished extends Error {
  constructor(readonly operationId: string) {
    super(`billing operation ${operationId} is already finished`);
  }
}

export const LEASE_SECONDS = 60;

/**
 * How long the customer's request stands as consent to charge the saved card: the request itself,
 * a client's retry and the janitor after a crash may (re)send the charging call (`invoices.pay`,
 * a pay-first `subscriptions.update`) within it. NOTE: a run pays only what it just read as unpaid
 * (an invoice in draft, an update Stripe does not show), so nothing is charged twice; a resumed run
 * sends under a key of its own (step-key.ts), since Stripe would replay a saved 500 for the first.
 * After the window nothing is charged without a new request.
 */
export const PAY_CONSENT_SECONDS = 30 * 60;

/** Stripe idempotency key of one step of an operation: derived, never random. */
export const stripeKey = (operation: Pick<Operation, 'id'>, step: string) => `op-${operation.id}-${step}`;

/** The billing_operations journal: claimed → sent → completed | failed (or awaiting_customer). */
export const operations = {
  /**
   * Claims an operation (and its lease) for the account. NOTE: inserting an unfinished operation
   * takes the account's billing lane (migration BillingLanes): while another operation or a refund
   * claim holds it — waiting on the customer included — this is a 409 naming the holder.
   */
  async claim(
    dataSource: DataSource,
    input: { accountId: string; quoteId: string | null; kind: OperationKind; stripeParams: object },
  ): Promise<Operation> {
    const id = `op_${crypto.randomBytes(12).toString('hex')}`;
    try {
      const rows: Array<OperationRow & { live_catalog_version: string | null }> = await dataSource.query(
        `INSERT INTO billing_operations (id, account_id, quote_id, kind, state, stripe_idempotency_key, stripe_params,
           lease_until)
         VALUES ($1, $2, $3, $4, 'claimed', $5, $6, now() + make_interval(secs => $7))
         RETURNING *, (SELECT version FROM catalog_versions WHERE is_live LIMIT 1) AS live_catalog_version`,
        [
          id,
          input.accountId,
          input.quoteId,
          input.kind,
          stripeKey({ id }, input.kind),
          JSON.stringify(input.stripeParams),
          LEASE_SECONDS,
        ],
      );
      const row = rows[0] as OperationRow & { live_catalog_version: string | null };
      return { ...fromRow(row), claimedHere: performance.now(), liveCatalogVersion: row.live_catalog_version };
    } catch (error) {
      const constraint = (error as { constraint?: string }).constraint;
      if (constraint === 'billing_operations_one_live_per_quote')
        throw conflict('quote_already_used', 'This quote has already been used for a change.');
      if (isLaneTaken(error)) throw await laneTakenError(dataSource, input.accountId);
      throw error;
    }
  },

  async find(dataSource: DataSource, id: string): Promise<Operation | undefined> {
    const rows: OperationRow[] = await dataSource.query('SELECT * FROM billing_operations WHERE id = $1', [id]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  },

  /**
   * Operations waiting on the customer that a Stripe object refers to: by the operation id Tierlift
   * writes into metadata, the journalled invoice or Checkout session, the PaymentIntent behind the
   * journalled client secret (`pi_…_secret_…`), or the subscription an update is pending on.
   */
  async awaitingFor(
    dataSource: DataSource,
    refs: {
      operationId?: string | null;
      invoiceId?: string | null;
      checkoutSessionId?: string | null;
      paymentIntentId?: string | null;
      subscriptionId?: string | null;
    },
  ): Promise<Operation[]> {
    const rows: OperationRow[] = await dataSource.query(
      `SELECT * FROM billing_operations
       WHERE state = 'awaiting_customer'
         AND (id = $1 OR stripe_object_id = $2 OR stripe_object_id = $3
           OR split_part(result->>'client_secret', '_secret_', 1) = $4
           OR (kind = 'update' AND stripe_params->>'subscription' = $5))
       ORDER BY created_at LIMIT 10`,
      [
        refs.operationId ?? null,
        refs.invoiceId ?? null,
        refs.checkoutSessionId ?? null,
        refs.paymentIntentId ?? null,
        refs.subscriptionId ?? null,
      ],
    );
    return rows.map(fromRow);
  },

  /**
   * Whether the customer's request still stands as consent to charge (PAY_CONSENT_SECONDS).
   * NOTE: measured on the database's clock, the one that stamped the operation when the customer asked.
   * The request that claimed it a moment ago (far less than the window, with a minute to spare on
   * this process's monotonic clock) needs no query: the stamp is no older than its own claim.
   */
  async consentHolds(dataSource: DataSource, operation: Pick<Operation, 'id' | 'claimedHere'>): Promise<boolean> {
    if (
      operation.claimedHere !== undefined &&
      performance.now() - operation.claimedHere < (PAY_CONSENT_SECONDS - 60) * 1000
    )
      return true;
    const rows: Array<{ holds: boolean }> = await dataSource.query(
      `SELECT created_at > now() - make_interval(secs => $2) AS holds FROM billing_operations WHERE id = $1`,
      [operation.id, PAY_CONSENT_SECONDS],
    );
    return rows[0]?.holds === true;
  },

  /** Takes over an unfinished operation whose lease has lapsed; undefined when someone else holds it. */
  async takeLease(dataSource: DataSource, id: string): Promise<Operation | undefined> {
    const [rows]: [OperationRow[], number] = await dataSource.query(
      `UPDATE billing_operations SET lease_until = now() + make_interval(secs => $2), updated_at = now()
       WHERE id = $1 AND state IN ('claimed', 'sent', 'awaiting_customer')
         AND (lease_until IS NULL OR lease_until < now()) RETURNING *`,
      [id, LEASE_SECONDS],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  },

  /** Lets another worker (a client's retry, the janitor) take the operation at once. */
  async releaseLease(dataSource: DataSource, id: string): Promise<void> {
    await dataSource.query(`UPDATE billing_operations SET lease_until = NULL WHERE id = $1`, [id]);
  },

  /** Recorded just before the Stripe call: from here on, Stripe may have acted. */
  async markSent(dataSource: DataSource, id: string): Promise<void> {
    await dataSource.query(
      `UPDATE billing_operations SET state = 'sent', attempts = attempts + 1, updated_at = now()
       WHERE id = $1 AND state IN ('claimed', 'sent', 'awaiting_customer')`,
      [id],
    );
  },

  async setObject(dataSource: DataSource, id: string, objectId: string): Promise<void> {
    await dataSource.query(`UPDATE billing_operations SET stripe_object_id = $2, updated_at = now() WHERE id = $1`, [
      id,
      objectId,
    ]);
  },

  /**
   * Records where an unfinished operation ended up; false when it had already finished (a late
   * writer, e.g. one whose lease lapsed mid-flight), which is left as it is.
   */
  async finish(
    manager: EntityManager,
    id: string,
    state: 'awaiting_customer' | 'completed' | 'failed',
    result: Record<string, unknown>,
  ): Promise<boolean> {
    const [, updated]: [unknown, number] = await manager.query(
      `UPDATE billing_operations SET state = $2, result = $3, lease_until = NULL, updated_at = now()
       WHERE id = $1 AND state NOT IN ('completed', 'failed')`,
      [id, state, JSON.stringify(result)],
    );
    return updated > 0;
  },

  /** Completes the operation inside the caller's transaction, or throws so that its purchase rolls back. */
  async complete(manager: EntityManager, id: string, result: Record<string, unknown>): Promise<void> {
    if (!(await operations.finish(manager, id, 'completed', result))) throw new OperationAlreadyFinished(id);
  },

  /** A finished operation's answer changes (a scheduled downgrade canceled); its state stays. */
  async amendResult(manager: EntityManager, id: string, result: Record<string, unknown>): Promise<void> {
    await manager.query(
      `UPDATE billing_operations SET result = $2, lease_until = NULL, updated_at = now() WHERE id = $1`,
      [id, JSON.stringify(result)],
    );
  },

  /** Operations a crash or an outage left behind, or that wait on the customer: the janitor's work list. */
  async unfinishedIds(dataSource: DataSource): Promise<string[]> {
    const rows: Array<{ id: string }> = await dataSource.query(
      `SELECT id FROM billing_operations
       WHERE state IN ('claimed', 'sent', 'awaiting_customer') AND (lease_until IS NULL OR lease_until < now())
       ORDER BY created_at LIMIT 100`,
    );
    return rows.map((row) => row.id);
  },
};
