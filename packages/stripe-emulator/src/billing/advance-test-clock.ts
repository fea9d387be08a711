import type { EmulatorContext } from '../emulator-context';
import { emitEvent } from '../emulator-context';
import type { Invoice, Subscription, TestClock } from '../resource-types';
import { voidInvoice } from './invoice-collection';
import { cancelSubscription } from './cancel-subscription';
import { expirePendingUpdate } from './pending-updates';
import { renewSubscription } from './renew-subscription';
import { retryFailedRenewal } from './retry-failed-renewal';
import { subscriptionPeriod } from './subscription-items';

/** NOTE: Stripe sends customer.subscription.trial_will_end three days before a trial ends. */
const TRIAL_WILL_END_NOTICE_SECONDS = 3 * 86_400;
/** NOTE: an unpaid first invoice leaves a subscription `incomplete` for 23 hours, then `incomplete_expired` with the invoice voided. */
const INCOMPLETE_LIFETIME_SECONDS = 23 * 3600;
const MAX_STEPS = 10_000;

function expireIncomplete(context: EmulatorContext, subscription: Subscription, at: number): void {
  const invoice = subscription.latest_invoice
    ? context.store.find<Invoice>('invoice', subscription.latest_invoice)
    : undefined;
  if (invoice?.status === 'open') voidInvoice(context, invoice, at);
  const previous = { status: subscription.status };
  Object.assign(subscription, { status: 'incomplete_expired', ended_at: at });
  emitEvent(context, 'customer.subscription.updated', subscription, { previous, at });
}

interface Step {
  at: number;
  run: () => void;
}

function nextSteps(context: EmulatorContext, subscription: Subscription): Step[] {
  const steps: Step[] = [];
  const { store } = context;
  if (subscription.status === 'canceled' || subscription.status === 'incomplete_expired') return steps;
  const pending = store.internal.pendingUpdates[subscription.id];
  if (pending)
    steps.push({ at: pending.expiresAt, run: () => expirePendingUpdate(context, subscription, pending.expiresAt) });
  const trialEnd = subscription.trial_end;
  if (
    subscription.status === 'trialing' &&
    trialEnd !== null &&
    store.internal.trialWillEndSent[subscription.id] !== trialEnd
  ) {
    const noticeAt = Math.max(trialEnd - TRIAL_WILL_END_NOTICE_SECONDS, Number(subscription.created));
    steps.push({
      at: noticeAt,
      run: () => {
        store.internal.trialWillEndSent[subscription.id] = trialEnd;
        emitEvent(context, 'customer.subscription.trial_will_end', subscription, { at: noticeAt });
      },
    });
  }
  if (subscription.cancel_at !== null && subscription.cancel_at < subscriptionPeriod(subscription).end) {
    const cancelAt = subscription.cancel_at;
    steps.push({ at: cancelAt, run: () => cancelSubscription(context, subscription, cancelAt) });
  }
  const latest = subscription.latest_invoice ? store.find<Invoice>('invoice', subscription.latest_invoice) : undefined;
  const retryAt = latest?.status === 'open' ? latest.next_payment_attempt : null;
  if (latest && retryAt !== null && retryAt !== undefined) {
    steps.push({ at: retryAt, run: () => retryFailedRenewal(context, latest, subscription, retryAt) });
  }
  if (subscription.status === 'incomplete') {
    const expiresAt = Number(subscription.created) + INCOMPLETE_LIFETIME_SECONDS;
    steps.push({ at: expiresAt, run: () => expireIncomplete(context, subscription, expiresAt) });
  } else {
    steps.push({ at: subscriptionPeriod(subscription).end, run: () => renewSubscription(context, subscription) });
  }
  return steps;
}

/**
 * Moves a test clock to `target`, running everything that falls due on the way in time
 * order: trial notices, pending-update expiry, renewals (invoice + charge), schedule phases.
 */
export function advanceTestClock(context: EmulatorContext, clock: TestClock, target: number): void {
  for (let step = 0; step < MAX_STEPS; step += 1) {
    const due = context.store
      .all<Subscription>('subscription', (subscription) => subscription.test_clock === clock.id)
      .flatMap((subscription) => nextSteps(context, subscription))
      .filter((candidate) => candidate.at <= target)
      .sort((a, b) => a.at - b.at)[0];
    if (!due) break;
    clock.frozen_time = due.at;
    due.run();
  }
  clock.frozen_time = target;
  clock.status = 'ready';
  emitEvent(context, 'test_helpers.test_clock.ready', clock, { at: target });
}
