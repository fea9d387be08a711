import { conflict, notFound, unprocessable } from '../shared/errors';
import type { Stripe } from '../stripe/stripe-client';
import { translateStripeError } from '../stripe/stripe-errors';
import type { BillingDeps } from './billing-deps';
import { askStripe, callStripe } from './call-stripe';
import type { ChangeOutcome } from './change-outcome';
import { mirrorSubscription } from './mirror-subscription';
import {
  accountWithCustomer,
  earlierOperatorAction,
  operatorActionAnswer,
  type OperatorActionAnswer,
  type OperatorRef,
} from './operator-action';
import { operations, type Operation } from './operation-journal';
import { readLiveSubscription, stripeNow } from './read-subscription-state';
import { runOperation } from './run-operation';
import { stepKey } from './step-key';

/** How far ahead an operator may move a trial's end. */
export const MAX_TRIAL_EXTENSION_DAYS = 90;

export interface ExtendTrialParams {
  subscription: string;
  /** Unix seconds. */
  trial_end: number;
  previous_trial_end: number;
  operator: OperatorRef;
  /** The request's Idempotency-Key: a retry under it finds this operation instead of claiming another. */
  request_key?: string;
}

/**
 * Moves a trialing subscription's end (and so its first charge) later: `trial_end` with
 * `proration_behavior: 'none'` (docs.stripe.com/billing/subscriptions/trials). The mirror and the
 * entitlements follow Stripe's `customer.subscription.updated`, as for any change.
 */
export async function extendTrial(
  deps: BillingDeps,
  accountId: string,
  trialEnd: Date,
  operator: OperatorRef,
  requestKey?: string,
): Promise<OperatorActionAnswer> {
  const earlier = await earlierOperatorAction(deps, accountId, 'extend_trial', requestKey);
  if (earlier) return earlier;
  const { customerId } = await accountWithCustomer(deps, accountId);
  const [live, now] = await Promise.all([
    readLiveSubscription(deps.stripe, customerId),
    deps.stripe.customers
      .retrieve(customerId)
      .then((customer) => stripeNow(deps.stripe, customer as Stripe.Customer, deps.clock.now())),
  ]).catch((error: unknown) => {
    throw translateStripeError(error);
  });
  if (!live) throw notFound('Subscription');
  if (live.status !== 'trialing' || !live.trial_end)
    throw conflict('not_trialing', `Only a trialing subscription's trial can be extended; this one is ${live.status}.`);
  const wanted = Math.floor(trialEnd.getTime() / 1000);
  if (wanted <= live.trial_end)
    throw unprocessable(
      'trial_end_not_later',
      `trial_end must be later than the current trial end (${new Date(live.trial_end * 1000).toISOString()}).`,
      'trial_end',
    );
  if (wanted > now + MAX_TRIAL_EXTENSION_DAYS * 86_400)
    throw unprocessable(
      'trial_end_too_far',
      `trial_end may be at most ${MAX_TRIAL_EXTENSION_DAYS} days ahead.`,
      'trial_end',
    );
  const params: ExtendTrialParams = {
    subscription: live.id,
    trial_end: wanted,
    previous_trial_end: live.trial_end,
    operator,
    ...(requestKey ? { request_key: requestKey } : {}),
  };
  const operation = await operations.claim(deps.dataSource, {
    accountId,
    quoteId: null,
    kind: 'extend_trial',
    stripeParams: params,
  });
  return operatorActionAnswer(operation, await runOperation(deps, operation));
}

/**
 * The journalled step: setting `trial_end` is idempotent in itself; the derived key makes a retry replay.
 * NOTE: a resumed run (the janitor or a retry, maybe long after; sent, or only claimed) first reads
 * the subscription: once its trial is over, a `trial_end` would start a new free period on a
 * subscription already charged for this one and re-anchor its cycle there, charging the customer
 * again (docs.stripe.com/billing/subscriptions/trials): the extension then fails, nothing sent.
 */
export async function applyTrialEnd(
  deps: BillingDeps,
  operation: Operation,
  params: ExtendTrialParams,
): Promise<ChangeOutcome> {
  // NOTE: a resumed run finds the extension already made (the answer was lost), or the trial over —
  // also one resumed from `claimed` (the process died before its first Stripe call, so nothing
  // was sent): its request's check of the trial may be long past. Only the run that claimed the
  // operation a moment ago, right after that check, goes straight on.
  const seen =
    operation.claimedHere === undefined || operation.attempts > 0
      ? await askStripe(deps, operation, () => deps.stripe.subscriptions.retrieve(params.subscription))
      : undefined;
  if (seen && seen.trial_end !== params.trial_end && seen.status !== 'trialing') {
    const outcome: ChangeOutcome = { status: 'not_applied', reason: 'not_trialing' };
    await operations.finish(deps.dataSource.manager, operation.id, 'failed', outcome);
    return outcome;
  }
  const subscription =
    seen?.trial_end === params.trial_end
      ? seen
      : await callStripe(deps, operation, () =>
          deps.stripe.subscriptions.update(
            params.subscription,
            { trial_end: params.trial_end, proration_behavior: 'none' },
            { idempotencyKey: stepKey(operation, 'trial_end') },
          ),
        );
  await mirrorSubscription(deps, subscription.id);
  const outcome: ChangeOutcome = {
    status: 'trial_extended',
    trial_end: new Date((subscription.trial_end ?? params.trial_end) * 1000).toISOString(),
    previous_trial_end: new Date(params.previous_trial_end * 1000).toISOString(),
    effective_at: new Date((subscription.trial_end ?? params.trial_end) * 1000).toISOString(),
  };
  await operations.finish(deps.dataSource.manager, operation.id, 'completed', outcome);
  return outcome;
}
