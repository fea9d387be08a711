import { AppError, conflict, forbidden, notFound } from '../shared/errors';
import { canManageBilling, type UserPrincipal } from '../shared/http/principal';
import type { BillingDeps } from './billing-deps';
import type { ChangeOutcome } from './change-outcome';
import { operations, type Operation } from './operation-journal';
import { quotes, type QuoteRecord } from './quote.repository';
import { laneHolder, laneTakenError } from './billing-lane';
import { supersedeCheckout } from './supersede-checkout';
import { assertFreshOnResume, assertStillFresh } from './assert-still-fresh';
import { runOperation } from './run-operation';
import { subscriptionView, subscriptionViewOfSynced } from './subscription-view';

/** How a change request asks to be carried out beyond its quote. */
export interface ChangeOptions {
  supersede?: boolean;
  rerun?: boolean;
  /** Where Checkout sends the customer back (already checked against the allowed origins). */
  returnUrls?: { success_url: string; cancel_url: string };
}

/**
 * Turns a quote into a change, once: checks the quote (own account, owner/admin, not expired),
 * journals an operation, which takes the account's billing lane, checks under the lane that the
 * catalog, subscription, balance and discounts are still what the quote assumed, then sends exactly
 * the previewed parameters to Stripe with derived keys.
 */
export async function executeChange(
  deps: BillingDeps,
  principal: UserPrincipal,
  quoteId: string,
  options: ChangeOptions = {},
): Promise<{ operation_id: string; subscription: unknown } & ChangeOutcome> {
  // setup: everything that can refuse without touching Stripe comes first
  const found = await quotes.findWithLiveOperation(deps.dataSource, quoteId);
  if (!found || found.quote.accountId !== principal.accountId) throw notFound('Quote', 'quote_id');
  const { quote, liveOperation: existing } = found;
  if (!canManageBilling(principal))
    throw forbidden('Only an owner or admin can change billing; ask your admin.', 'billing_permission_required');
  if (existing) return answer(deps, await resumeOrRefuse(deps, existing, options.rerun === true));
  if (quote.expiresAt.getTime() <= deps.clock.now().getTime())
    throw conflict('quote_expired', 'This quote has expired; ask for a new one.', { expired_at: quote.expiresAt });
  // the account's lane, then staleness under it: nothing can change the subscription, the
  // balance or the purchases between this check and the Stripe call but this operation
  const operation = await claimLane(deps, quote, options);
  await assertStillFresh(deps, quote, operation);
  return answer(deps, { operation, outcome: await runOperation(deps, operation) });
}

/**
 * Claims the operation, which takes the account's billing lane. With `supersede`, an open Checkout
 * that holds the lane is expired first (its session can then never be paid) and the claim is tried
 * once more; any other holder keeps the lane and the answer is the 409 naming it.
 */
async function claimLane(deps: BillingDeps, quote: QuoteRecord, options: ChangeOptions): Promise<Operation> {
  // NOTE: a Checkout's return URLs are stored with the operation's parameters: a retry sends the same.
  const stripeParams =
    options.returnUrls && quote.stripeParams.kind === 'checkout'
      ? { ...quote.stripeParams, ...options.returnUrls }
      : quote.stripeParams;
  const claim = () =>
    operations.claim(deps.dataSource, {
      accountId: quote.accountId,
      quoteId: quote.id,
      kind: quote.kind,
      stripeParams,
    });
  try {
    return await claim();
  } catch (error) {
    if (!options.supersede || !(error instanceof AppError) || error.code !== 'change_in_progress') throw error;
    const holder = await laneHolder(deps.dataSource, quote.accountId);
    if (!holder || holder.kind !== 'operation') throw error;
    if (!(await supersedeCheckout(deps, holder.id))) throw await laneTakenError(deps.dataSource, quote.accountId);
    return claim();
  }
}

/**
 * The quote already has an operation: unfinished ones are rolled forward; finished ones are a 409,
 * unless this request is the re-run of the one that started it (its Idempotency-Key never got an
 * answer: the process died): then it answers that operation's result, as the first would have.
 */
async function resumeOrRefuse(
  deps: BillingDeps,
  existing: Operation,
  rerun: boolean,
): Promise<{ operation: Operation; outcome: ChangeOutcome }> {
  const finished = existing.state === 'completed' || existing.state === 'awaiting_customer';
  if (finished && rerun && existing.result) return { operation: existing, outcome: existing.result as ChangeOutcome };
  if (finished)
    throw conflict('quote_already_used', 'This quote has already been used for a change.', {
      operation_id: existing.id,
      status: existing.result?.status,
    });
  const leased = await operations.takeLease(deps.dataSource, existing.id);
  if (!leased)
    throw conflict('change_in_progress', 'This change is being carried out right now; retry shortly.', {
      operation_id: existing.id,
    });
  await assertFreshOnResume(deps, leased);
  return { operation: leased, outcome: await runOperation(deps, leased) };
}

async function answer(
  deps: BillingDeps,
  done: { operation: Operation; outcome: ChangeOutcome },
): Promise<{ operation_id: string; subscription: unknown } & ChangeOutcome> {
  const now = deps.clock.now();
  // NOTE: a run that committed the mirror with its completion (under the lane) answers from that
  // row; any other answer reads the mirror.
  const mirrored = done.operation.mirroredHere;
  return {
    operation_id: done.operation.id,
    ...done.outcome,
    subscription:
      (mirrored && subscriptionViewOfSynced(mirrored, now)) ??
      (await subscriptionView(deps.dataSource, done.operation.accountId, now)),
  };
}
