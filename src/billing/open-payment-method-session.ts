import { AppError, forbidden } from '../shared/errors';
import { canManageBilling, type UserPrincipal } from '../shared/http/principal';
import { resolvePriceList } from '../catalog/price-lists';
import { laneHolder } from './billing-lane';
import { subscriptionView } from './subscription-view';
import type { BillingDeps } from './billing-deps';
import { operations } from './operation-journal';
import { runOperation } from './run-operation';
import { ensureStripeCustomer } from './stripe-customers';
import type { PaymentMethodParams } from './update-payment-method';

/** What POST /v1/payment-method/sessions answers: the setup Checkout to send the customer to. */
export interface PaymentMethodSession {
  object: 'payment_method_session';
  id: string;
  url: string;
  operation_id: string;
}

/** The query parameter the billing page reads on the way back: `done` or `canceled`. */
export const SETUP_RETURN_PARAM = 'tierlift_setup';

const withParam = (url: string, value: string): string => {
  const parsed = new URL(url);
  parsed.searchParams.set(SETUP_RETURN_PARAM, value);
  return parsed.toString();
};

/**
 * Opens a Checkout Session in setup mode for the account's customer (owners and admins only), as a
 * journalled `payment_method` operation that holds the account's billing lane until the customer
 * comes back (or the session expires). Asked again while one is open, the open one is answered.
 */
export async function openPaymentMethodSession(
  deps: BillingDeps,
  principal: UserPrincipal,
  returnUrl: string | undefined,
): Promise<PaymentMethodSession> {
  if (!canManageBilling(principal))
    throw forbidden('Only an owner or admin can change billing; ask your admin.', 'billing_permission_required');
  const account = await deps.accounts.find(principal.accountId);
  if (!account) throw forbidden('Unknown account.', 'account_not_found');
  const customer = await ensureStripeCustomer(deps, account);
  const base = returnUrl ?? deps.checkoutReturnUrl;
  const subscription = await subscriptionView(deps.dataSource, account.id, deps.clock.now());
  const params: PaymentMethodParams = {
    customer,
    currency:
      (subscription?.currency as string | undefined) ?? resolvePriceList(deps.catalog, account.country).currency,
    success_url: withParam(base, 'done'),
    cancel_url: withParam(base, 'canceled'),
  };
  let operation;
  try {
    operation = await operations.claim(deps.dataSource, {
      accountId: account.id,
      quoteId: null,
      kind: 'payment_method',
      stripeParams: params,
    });
  } catch (error) {
    const open = error instanceof AppError ? await openSessionOf(deps, account.id) : undefined;
    if (open) return open;
    throw error;
  }
  const outcome = await runOperation(deps, operation);
  const found = await operations.find(deps.dataSource, operation.id);
  return session(operation.id, found?.stripeObjectId ?? '', outcome.checkout_url ?? '');
}

/** The lane's holder when it is this account's own setup Checkout still waiting on the customer. */
async function openSessionOf(deps: BillingDeps, accountId: string): Promise<PaymentMethodSession | undefined> {
  const holder = await laneHolder(deps.dataSource, accountId);
  if (!holder || holder.kind !== 'operation') return undefined;
  const found = await operations.find(deps.dataSource, holder.id);
  const url = found?.result?.checkout_url;
  if (found?.kind !== 'payment_method' || found.state !== 'awaiting_customer' || !found.stripeObjectId)
    return undefined;
  return typeof url === 'string' ? session(found.id, found.stripeObjectId, url) : undefined;
}

const session = (operationId: string, id: string, url: string): PaymentMethodSession => ({
  object: 'payment_method_session',
  id,
  url,
  operation_id: operationId,
});
