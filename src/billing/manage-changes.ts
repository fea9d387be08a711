import type { CancellationReason } from './set-cancellation';
import { conflict, forbidden, notFound } from '../shared/errors';
import { canManageBilling, type UserPrincipal } from '../shared/http/principal';
import { translateStripeError } from '../stripe/stripe-errors';
import type { BillingDeps } from './billing-deps';
import type { ChangeOutcome } from './change-outcome';
import { operations, type Operation } from './operation-journal';
import { readLiveSubscription } from './read-subscription-state';
import { runOperation } from './run-operation';
import type { ScheduleParams } from './schedule-downgrade';
import { ensureStripeCustomer } from './stripe-customers';
import { subscriptionView } from './subscription-view';

type Answer = { operation_id: string; subscription: unknown } & ChangeOutcome;

function requireManager(principal: UserPrincipal): void {
  if (!canManageBilling(principal))
    throw forbidden('Only an owner or admin can change billing; ask your admin.', 'billing_permission_required');
}

async function answer(deps: BillingDeps, operation: Operation, outcome: ChangeOutcome): Promise<Answer> {
  return {
    operation_id: operation.id,
    ...outcome,
    subscription: await subscriptionView(deps.dataSource, operation.accountId, deps.clock.now()),
  };
}

async function ownOperation(deps: BillingDeps, principal: UserPrincipal, id: string): Promise<Operation> {
  const operation = await operations.find(deps.dataSource, id);
  if (!operation || operation.accountId !== principal.accountId) throw notFound('Change', 'id');
  return operation;
}

/** Ends the subscription at the period end (`cancel: true`) or takes that back (`cancel: false`). */
export async function setSubscriptionCancellation(
  deps: BillingDeps,
  principal: UserPrincipal,
  cancel: boolean,
  why: CancellationReason = {},
): Promise<Answer> {
  requireManager(principal);
  const account = await deps.accounts.find(principal.accountId);
  if (!account) throw notFound('Account');
  const customerId = await ensureStripeCustomer(deps, account);
  const live = await readLiveSubscription(deps.stripe, customerId).catch((error: unknown) => {
    throw translateStripeError(error);
  });
  if (!live) throw notFound('Subscription');
  const operation = await operations.claim(deps.dataSource, {
    accountId: account.id,
    quoteId: null,
    kind: cancel ? 'cancel' : 'resume',
    stripeParams: {
      subscription: live.id,
      cancel_at_period_end: cancel,
      ...(cancel && why.reason ? { reason: why.reason } : {}),
      ...(cancel && why.reason_text ? { reason_text: why.reason_text } : {}),
    },
  });
  return answer(deps, operation, await runOperation(deps, operation));
}

/** A change as it stands; one waiting on the customer (3-D Secure, Checkout) is refreshed from Stripe. */
export async function showChange(deps: BillingDeps, principal: UserPrincipal, id: string): Promise<Answer> {
  let operation = await ownOperation(deps, principal, id);
  if (operation.state === 'awaiting_customer') {
    const leased = await operations.takeLease(deps.dataSource, operation.id);
    if (leased) return answer(deps, leased, await runOperation(deps, leased));
    // NOTE: a webhook or the janitor holds it; it may have finished it since the first read.
    operation = (await operations.find(deps.dataSource, id)) ?? operation;
  }
  const outcome = (operation.result ?? { status: 'in_progress' }) as ChangeOutcome;
  return answer(deps, operation, { ...outcome, state: operation.state });
}

/** Cancels a scheduled downgrade before it takes effect; the current plan stays. */
export async function cancelScheduledChange(deps: BillingDeps, principal: UserPrincipal, id: string): Promise<Answer> {
  const operation = await ownOperation(deps, principal, id);
  requireManager(principal);
  const params = operation.stripeParams as unknown as ScheduleParams;
  const effective = params.switch_at * 1000;
  if (operation.kind !== 'schedule' || operation.result?.status !== 'scheduled')
    throw conflict('change_not_cancellable', 'Only a scheduled downgrade can be cancelled.');
  if (effective <= deps.clock.now().getTime() && operation.stripeObjectId) {
    const schedule = await deps.stripe.subscriptionSchedules.retrieve(operation.stripeObjectId);
    if (schedule.status !== 'active' && schedule.status !== 'not_started')
      throw conflict('change_not_cancellable', 'This downgrade has already taken effect.');
  }
  // NOTE: releasing the schedule moves entitlements at the period end: it holds the account's lane.
  const cancelling = await operations.claim(deps.dataSource, {
    accountId: operation.accountId,
    quoteId: null,
    kind: 'cancel_schedule',
    stripeParams: { schedule_operation_id: operation.id, subscription: params.subscription },
  });
  return answer(deps, operation, await runOperation(deps, cancelling));
}
