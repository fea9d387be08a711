import { emitEvent, timeFor, type EmulatorContext } from '../emulator-context';
import { newId } from '../ids';
import { paginate } from '../http/list-response';
import { integer, metadata, required, string } from '../http/param-schema';
import { defineRoute, listParams, type Route } from '../http/route';
import type { Customer, Resource } from '../resource-types';
import { invalidRequest, resourceMissing } from '../stripe-error';

/** docs.stripe.com/api/customer_balance_transactions/object */
export interface CustomerBalanceTransaction extends Resource {
  object: 'customer_balance_transaction';
  amount: number;
  currency: string;
  customer: string;
  ending_balance: number;
  invoice: string | null;
  type: 'adjustment' | 'applied_to_invoice' | 'unapplied_from_invoice';
}

/**
 * Records a change of a customer's balance (docs.stripe.com/billing/customer/balance): a negative
 * amount is credit the next invoice uses, a positive one is owed on it.
 */
export function recordBalanceTransaction(
  context: EmulatorContext,
  customer: Customer,
  input: {
    amount: number;
    currency: string;
    type: CustomerBalanceTransaction['type'];
    invoice?: string | null;
    description?: string | null;
    metadata?: Record<string, string>;
    at: number;
  },
): CustomerBalanceTransaction {
  return context.store.insert<CustomerBalanceTransaction>({
    id: newId('cbtxn'),
    object: 'customer_balance_transaction',
    amount: input.amount,
    checkout_session: null,
    created: input.at,
    credit_note: null,
    currency: input.currency,
    customer: customer.id,
    description: input.description ?? null,
    ending_balance: customer.balance,
    invoice: input.invoice ?? null,
    livemode: false,
    metadata: input.metadata ?? {},
    type: input.type,
  });
}

export const customerBalanceTransactionRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    path: '/v1/customers/:customer/balance_transactions',
    params: { amount: required(integer()), currency: required(string()), description: string(), metadata: metadata() },
    handle: ({ context, params, path }) => {
      const customer = context.store.require<Customer>('customer', path.customer ?? '', 'customer');
      const currency = params.currency.toLowerCase();
      // NOTE: a customer has one balance, in one currency: the first balance transaction or invoice sets it.
      if (customer.currency && customer.currency !== currency)
        throw invalidRequest(
          `The currency of this balance transaction (${currency}) must match the customer's currency (${customer.currency}).`,
          { param: 'currency' },
        );
      if (params.amount === 0) throw invalidRequest('Amount must be non-zero.', { param: 'amount' });
      const at = timeFor(context, customer.id);
      const previous = { balance: customer.balance, currency: customer.currency };
      customer.balance += params.amount;
      customer.currency = currency;
      const transaction = recordBalanceTransaction(context, customer, {
        amount: params.amount,
        currency,
        type: 'adjustment',
        description: params.description ?? null,
        metadata: params.metadata ?? {},
        at,
      });
      emitEvent(context, 'customer.updated', customer, { previous, at });
      return transaction;
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/customers/:customer/balance_transactions/:id',
    params: {},
    handle: ({ context, path }) => {
      const transaction = context.store.require<CustomerBalanceTransaction>(
        'customer_balance_transaction',
        path.id ?? '',
      );
      if (transaction.customer !== path.customer) throw resourceMissing('customer balance transaction', path.id ?? '');
      return transaction;
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/customers/:customer/balance_transactions',
    params: { ...listParams, invoice: string() },
    handle: ({ context, params, path }) => {
      const customer = context.store.require<Customer>('customer', path.customer ?? '', 'customer');
      return paginate(
        context.store.all<CustomerBalanceTransaction>(
          'customer_balance_transaction',
          (transaction) =>
            transaction.customer === customer.id && (!params.invoice || transaction.invoice === params.invoice),
        ),
        params,
        `/v1/customers/${customer.id}/balance_transactions`,
      );
    },
  }),
];
