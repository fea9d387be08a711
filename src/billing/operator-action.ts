import type { AccountEntity } from '../accounts/account.entity';
import { notFound } from '../shared/errors';
import type { BillingDeps } from './billing-deps';
import type { ChangeOutcome } from './change-outcome';
import type { Operation } from './operation-journal';
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
