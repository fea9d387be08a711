import { resolvePriceList } from '../catalog/price-lists';
import { unprocessable } from '../shared/errors';
import type { Stripe } from '../stripe/stripe-client';
import { translateStripeError } from '../stripe/stripe-errors';
import type { BillingDeps } from './billing-deps';
import { askStripe, callStripe } from './call-stripe';
import type { ChangeOutcome } from './change-outcome';
import {
  accountWithCustomer,
  earlierOperatorAction,
  operatorActionAnswer,
  type OperatorActionAnswer,
  type OperatorRef,
} from './operator-action';
import { operations, type Operation } from './operation-journal';
import { runOperation } from './run-operation';
import { stepKey } from './step-key';

export interface CreditParams {
  customer: string;
  /** Minor units, positive: the credit given (Stripe records it as a negative balance transaction). */
  amount: number;
  currency: string;
  reason: string;
  operator: OperatorRef;
  /** The request's Idempotency-Key: a retry under it finds this operation instead of claiming another. */
  request_key?: string;
}

/**
 * Grants the account credit on its Stripe customer balance, which Stripe applies to the next
 * invoice's amount due (docs.stripe.com/billing/customer/balance). It is credit, never money
 * returned: no refund, and the refund ledger (guarantees) does not count it.
 */
export async function grantCredit(
  deps: BillingDeps,
  accountId: string,
  input: { amount: number; currency: string; reason: string; operator: OperatorRef; requestKey?: string },
): Promise<OperatorActionAnswer> {
  const { account, customerId } = await accountWithCustomer(deps, accountId);
  const earlier = await earlierOperatorAction(deps, accountId, 'credit', input.requestKey);
  if (earlier) return earlier;
  const customer = (await deps.stripe.customers.retrieve(customerId).catch((error: unknown) => {
    throw translateStripeError(error);
  })) as Stripe.Customer;
  // NOTE: a Stripe customer has one balance in one currency; before its first invoice, the account's price list's.
  const currency = customer.currency ?? resolvePriceList(deps.catalog, account.country).currency;
  if (input.currency.toLowerCase() !== currency.toLowerCase())
    throw unprocessable(
      'currency_mismatch',
      `Credit must be in the customer's currency (${currency.toLowerCase()}).`,
      'currency',
      { currency: currency.toLowerCase() },
    );
  const params: CreditParams = {
    customer: customerId,
    amount: input.amount,
    currency: currency.toLowerCase(),
    reason: input.reason,
    operator: input.operator,
    ...(input.requestKey ? { request_key: input.requestKey } : {}),
  };
  const operation = await operations.claim(deps.dataSource, {
    accountId,
    quoteId: null,
    kind: 'credit',
    stripeParams: params,
  });
  return operatorActionAnswer(operation, await runOperation(deps, operation));
}

/** The journalled step: one balance transaction, found again by its metadata when a run resumes. */
export async function applyCredit(
  deps: BillingDeps,
  operation: Operation,
  params: CreditParams,
): Promise<ChangeOutcome> {
  const earlier =
    operation.attempts > 0
      ? await askStripe(deps, operation, async () =>
          (await deps.stripe.customers.listBalanceTransactions(params.customer, { limit: 100 })).data.find(
            (transaction) => transaction.metadata?.tierlift_operation_id === operation.id,
          ),
        )
      : undefined;
  const transaction =
    earlier ??
    (await callStripe(deps, operation, () =>
      deps.stripe.customers.createBalanceTransaction(
        params.customer,
        {
          amount: -params.amount,
          currency: params.currency,
          description: params.reason,
          metadata: { tierlift_operation_id: operation.id, tierlift_operator_id: params.operator.id },
        },
        { idempotencyKey: stepKey(operation, 'credit') },
      ),
    ));
  await operations.setObject(deps.dataSource, operation.id, transaction.id);
  const outcome: ChangeOutcome = {
    status: 'credited',
    balance_transaction: transaction.id,
    amount: params.amount,
    currency: params.currency,
    ending_balance: transaction.ending_balance,
  };
  await operations.finish(deps.dataSource.manager, operation.id, 'completed', outcome);
  return outcome;
}
