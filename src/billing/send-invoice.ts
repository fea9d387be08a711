import { conflict, notFound } from '../shared/errors';
import { Stripe } from '../stripe/stripe-client';
import { translateStripeError } from '../stripe/stripe-errors';
import type { BillingDeps } from './billing-deps';
import { callStripe } from './call-stripe';
import type { ChangeOutcome } from './change-outcome';
import {
  accountWithCustomer,
  earlierOperatorAction,
  operatorActionAnswer,
  type OperatorActionAnswer,
  type OperatorRef,
} from './operator-action';
import { operations, type Operation } from './operation-journal';
import { idOf } from './read-subscription-state';
import { runOperation } from './run-operation';
import { stepKey } from './step-key';

export interface SendInvoiceParams {
  invoice: string;
  operator: OperatorRef;
  /** The request's Idempotency-Key: a retry under it finds this operation instead of sending again. */
  request_key?: string;
}

/**
 * Sends one of the account's finalized invoices again (a paid one is its receipt):
 * docs.stripe.com/api/invoices/send. Another customer's invoice, or none, is a 404.
 */
export async function resendInvoice(
  deps: BillingDeps,
  accountId: string,
  invoiceId: string,
  operator: OperatorRef,
  requestKey?: string,
): Promise<OperatorActionAnswer> {
  const earlier = await earlierOperatorAction(deps, accountId, 'send_invoice', requestKey);
  if (earlier) return earlier;
  const { customerId } = await accountWithCustomer(deps, accountId);
  const invoice = await deps.stripe.invoices.retrieve(invoiceId).catch((error: unknown) => {
    if (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404) return undefined;
    throw translateStripeError(error);
  });
  if (!invoice || idOf(invoice.customer) !== customerId) throw notFound('Invoice', 'invoice_id');
  if (invoice.status === 'draft')
    throw conflict('invoice_not_finalized', 'A draft invoice cannot be sent; it is sent once finalized.');
  const params: SendInvoiceParams = {
    invoice: invoice.id,
    operator,
    ...(requestKey ? { request_key: requestKey } : {}),
  };
  const operation = await operations.claim(deps.dataSource, {
    accountId,
    quoteId: null,
    kind: 'send_invoice',
    stripeParams: params,
  });
  return operatorActionAnswer(operation, await runOperation(deps, operation));
}

/**
 * The journalled step. NOTE: Stripe keeps no trace of a sent e-mail to ask for, so a resumed run
 * (the first answer lost) sends again under its own key: at worst the customer gets it twice.
 */
export async function sendInvoice(
  deps: BillingDeps,
  operation: Operation,
  params: SendInvoiceParams,
): Promise<ChangeOutcome> {
  const invoice = await callStripe(deps, operation, () =>
    deps.stripe.invoices.sendInvoice(params.invoice, {}, { idempotencyKey: stepKey(operation, 'send') }),
  );
  await operations.setObject(deps.dataSource, operation.id, invoice.id);
  const outcome: ChangeOutcome = { status: 'invoice_sent', invoice: invoice.id, invoice_status: invoice.status };
  await operations.finish(deps.dataSource.manager, operation.id, 'completed', outcome);
  return outcome;
}
