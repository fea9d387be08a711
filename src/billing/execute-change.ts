import { conflict, forbidden, notFound } from '../shared/errors';
import { canManageBilling, type UserPrincipal } from '../shared/http/principal';
import { translateStripeError } from '../stripe/stripe-errors';
import type { BillingDeps } from './billing-deps';
import { catalogFingerprint } from './catalog-fingerprint';
import type { ChangeOutcome } from './change-outcome';
import { operations, type Operation } from './operation-journal';
import { quotes, type QuoteRecord } from './quote.repository';
import { readLiveSubscription, subscriptionStateOf } from './read-subscription-state';
import { runOperation } from './run-operation';
import { subscriptionFingerprint } from './subscription-state';
import { subscriptionView } from './subscription-view';

/**
 * Turns a quote into a change, once: checks the quote (own account, owner/admin, not
 * expired, catalog and subscription unchanged), journals an operation (one unfinished per
 * account), then sends exactly the previewed parameters to Stripe with derived keys.
 */
export async function executeChange(
  deps: BillingDeps,
  principal: UserPrincipal,
  quoteId: string,
): Promise<{ operation_id: string; subscription: unknown } & ChangeOutcome> {
  // setup: everything that can refuse without touching Stripe comes first
  const quote = await quotes.find(deps.dataSource, quoteId);
  if (!quote || quote.accountId !== principal.accountId) throw notFound('Quote', 'quote_id');
  if (!canManageBilling(principal))
    throw forbidden('Only an owner or admin can change billing; ask your admin.', 'billing_permission_required');
  const existing = await operations.findLiveByQuote(deps.dataSource, quote.id);
  if (existing) return answer(deps, await resumeOrRefuse(deps, existing));
  if (quote.expiresAt.getTime() <= deps.clock.now().getTime())
    throw conflict('quote_expired', 'This quote has expired; ask for a new one.', { expired_at: quote.expiresAt });
  if ((await catalogFingerprint(deps.dataSource, deps.catalog)) !== quote.catalogFingerprint)
    throw conflict('quote_stale', 'Prices changed since this quote; ask for a new one.', { reason: 'catalog' });
  await assertSubscriptionUnchanged(deps, quote);
  // execute
  const operation = await operations.claim(deps.dataSource, {
    accountId: quote.accountId,
    quoteId: quote.id,
    kind: quote.kind,
    stripeParams: quote.stripeParams,
  });
  return answer(deps, { operation, outcome: await runOperation(deps, operation) });
}

async function assertSubscriptionUnchanged(deps: BillingDeps, quote: QuoteRecord): Promise<void> {
  const customerId = quote.stripeParams.customer;
  try {
    const live = await readLiveSubscription(deps.stripe, customerId);
    const now = subscriptionFingerprint(live ? subscriptionStateOf(live, deps.resolvePrice) : null);
    if (now !== quote.subscriptionFingerprint)
      throw conflict('quote_stale', 'The subscription changed since this quote; ask for a new one.', {
        reason: 'subscription',
      });
  } catch (error) {
    throw translateStripeError(error);
  }
}

/** The quote already has an operation: finished ones are a 409, unfinished ones are rolled forward. */
async function resumeOrRefuse(
  deps: BillingDeps,
  existing: Operation,
): Promise<{ operation: Operation; outcome: ChangeOutcome }> {
  if (existing.state === 'completed' || existing.state === 'awaiting_customer')
    throw conflict('quote_already_used', 'This quote has already been used for a change.', {
      operation_id: existing.id,
      status: existing.result?.status,
    });
  const leased = await operations.takeLease(deps.dataSource, existing.id);
  if (!leased)
    throw conflict('change_in_progress', 'This change is being carried out right now; retry shortly.', {
      operation_id: existing.id,
    });
  return { operation: leased, outcome: await runOperation(deps, leased) };
}

async function answer(
  deps: BillingDeps,
  done: { operation: Operation; outcome: ChangeOutcome },
): Promise<{ operation_id: string; subscription: unknown } & ChangeOutcome> {
  return {
    operation_id: done.operation.id,
    ...done.outcome,
    subscription: await subscriptionView(deps.dataSource, done.operation.accountId),
  };
}
