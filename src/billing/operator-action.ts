import type { AccountEntity } from '../accounts/account.entity';
import { conflict, notFound } from '../shared/errors';
import type { BillingDeps } from './billing-deps';
import type { ChangeOutcome } from './change-outcome';
import { operations, type Operation, type OperationKind } from './operation-journal';
import { runOperation } from './run-operation';
import { ensureStripeCustomer } from './stripe-customers';

/** Who asked for an operator action (the audit log has the rest): kept in the journalled params. */
export interface OperatorRef {
  id: string;
  name: string;
}

/** What an operator action answers: the journal entry and its outcome. */
export type OperatorActionAnswer = { object: 'operation'; operation_id: string; kind: string } & ChangeOutcome;

/** The account an operator acts on, with its Stripe customer (created if it has none yet). */
export async function accountWithCustomer(
  deps: BillingDeps,
  accountId: string,
): Promise<{ account: AccountEntity; customerId: string }> {
  const account = await deps.accounts.find(accountId);
  if (!account) throw notFound('Customer', 'id');
  return { account, customerId: await ensureStripeCustomer(deps, account) };
}

export const operatorActionAnswer = (operation: Operation, outcome: ChangeOutcome): OperatorActionAnswer => ({
  object: 'operation',
  operation_id: operation.id,
  kind: operation.kind,
  ...outcome,
});

/**
 * The operation a request under the same Idempotency-Key already journalled (its answer was lost: a
 * 5xx, or the process died, and the key was given back for a retry): finished, its answer again;
 * unfinished, rolled forward under its lease; failed, none (the retry may try again). NOTE: without
 * this, a retry after the janitor had finished the first run acted a second time — a second credit,
 * a second receipt — or was refused for what the first run had done (a trial already extended).
 */
export async function earlierOperatorAction(
  deps: BillingDeps,
  accountId: string,
  kind: OperationKind,
  requestKey: string | undefined,
): Promise<OperatorActionAnswer | undefined> {
  if (!requestKey) return undefined;
  const rows: Array<{ id: string }> = await deps.dataSource.query(
    `SELECT id FROM billing_operations WHERE account_id = $1 AND kind = $2 AND state <> 'failed'
       AND stripe_params->>'request_key' = $3 ORDER BY created_at DESC LIMIT 1`,
    [accountId, kind, requestKey],
  );
  const existing = rows[0] ? await operations.find(deps.dataSource, rows[0].id) : undefined;
  if (!existing) return undefined;
  if (existing.state === 'completed') return operatorActionAnswer(existing, existing.result as ChangeOutcome);
  const leased = await operations.takeLease(deps.dataSource, existing.id);
  if (!leased)
    throw conflict('change_in_progress', 'This action is being carried out right now; retry shortly.', {
      operation_id: existing.id,
    });
  return operatorActionAnswer(leased, await runOperation(deps, leased));
}
