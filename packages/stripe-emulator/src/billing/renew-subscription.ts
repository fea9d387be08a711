import type { EmulatorContext } from '../emulator-context';
import { emitEvent } from '../emulator-context';
import type { Customer, Subscription } from '../resource-types';
import { nextPeriodEnd } from '../money/calendar';
import { cancelSubscription } from './cancel-subscription';
import { buildInvoice, finalizeInvoice, insertInvoice } from './invoice-builder';
import { collectInvoice } from './invoice-collection';
import { pendingItemDrafts } from './invoice-items';
import { applyItemPlans, itemPlansOf, periodDrafts, recurringOf, subscriptionPeriod } from './subscription-items';
import { scheduleNextAttempt } from './retry-failed-renewal';
import { transitionScheduleAt } from './subscription-schedules';
import { paymentMethodFor } from './update-subscription';

/** The next period after the current one, counted from the billing cycle anchor. */
export function nextPeriod(context: EmulatorContext, subscription: Subscription): { start: number; end: number } {
  const current = subscriptionPeriod(subscription);
  const recurring = recurringOf(context, itemPlansOf(subscription)[0]?.priceId ?? '');
  return {
    start: current.end,
    end: nextPeriodEnd(subscription.billing_cycle_anchor, recurring.interval, recurring.interval_count, current.end),
  };
}

/**
 * The period boundary: cancel if asked to, let a schedule switch phases, then open the
 * next period and invoice it (with pending prorations) and charge the default card.
 */
export function renewSubscription(context: EmulatorContext, subscription: Subscription): void {
  const current = subscriptionPeriod(subscription);
  const at = current.end;
  if (subscription.cancel_at_period_end || (subscription.cancel_at !== null && subscription.cancel_at <= at)) {
    cancelSubscription(context, subscription, at);
    return;
  }
  transitionScheduleAt(context, subscription, at);
  if (subscription.status === 'canceled') return;
  const previous = {
    items: JSON.parse(JSON.stringify(subscription.items)) as unknown,
    status: subscription.status,
    latest_invoice: subscription.latest_invoice,
  };
  const period = nextPeriod(context, subscription);
  applyItemPlans(context, subscription, itemPlansOf(subscription), period, at);
  const customer = context.store.require<Customer>('customer', subscription.customer);
  const drafts = [
    ...pendingItemDrafts(context, customer.id, subscription.id),
    ...periodDrafts(context, subscription, itemPlansOf(subscription), period),
  ];
  const invoice = insertInvoice(
    context,
    buildInvoice(
      context,
      {
        customer,
        currency: subscription.currency,
        drafts,
        billingReason: 'subscription_cycle',
        subscription,
        at,
        period: current,
      },
      { preview: false },
    ),
  );
  finalizeInvoice(context, invoice, at);
  subscription.latest_invoice = invoice.id;
  const outcome = collectInvoice(context, invoice, {
    paymentMethodId: paymentMethodFor(context, subscription),
    confirm: true,
    at,
  });
  subscription.status = outcome === 'paid' ? 'active' : 'past_due';
  if (outcome !== 'paid') scheduleNextAttempt(invoice, at);
  emitEvent(context, 'customer.subscription.updated', subscription, { previous, at });
}
