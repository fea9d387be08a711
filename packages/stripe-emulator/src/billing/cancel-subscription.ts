import type { EmulatorContext } from '../emulator-context';
import { emitEvent } from '../emulator-context';
import type { Customer, Subscription } from '../resource-types';
import { buildInvoice, finalizeInvoice, insertInvoice } from './invoice-builder';
import { collectInvoice } from './invoice-collection';
import { pendingItemDrafts, storeInvoiceItem } from './invoice-items';
import { unusedTimeCredits } from './plan-subscription-update';
import { subscriptionPeriod } from './subscription-items';

/**
 * Ends a subscription now. With `prorate`, the unused time is credited as pending invoice
 * items; with `invoice_now` they are invoiced at once (a negative total becomes balance credit).
 */
export function cancelSubscription(
  context: EmulatorContext,
  subscription: Subscription,
  at: number,
  options: { prorate?: boolean; invoiceNow?: boolean } = {},
): void {
  if (subscription.status === 'canceled') return;
  const customer = context.store.require<Customer>('customer', subscription.customer);
  if (options.prorate && subscription.status !== 'trialing' && at < subscriptionPeriod(subscription).end) {
    for (const draft of unusedTimeCredits(context, subscription, at)) storeInvoiceItem(context, draft, customer, at);
  }
  if (options.invoiceNow) {
    const drafts = pendingItemDrafts(context, customer.id, subscription.id);
    if (drafts.length > 0) {
      const invoice = insertInvoice(
        context,
        buildInvoice(
          context,
          { customer, currency: subscription.currency, drafts, billingReason: 'subscription_update', subscription, at },
          { preview: false },
        ),
      );
      finalizeInvoice(context, invoice, at);
      collectInvoice(context, invoice, {
        paymentMethodId: subscription.default_payment_method ?? customer.invoice_settings.default_payment_method,
        confirm: true,
        at,
      });
    }
  }
  const previous = {
    status: subscription.status,
    canceled_at: subscription.canceled_at,
    ended_at: subscription.ended_at,
  };
  // A cancellation scheduled at period end keeps the time it was requested; ended_at is now.
  const canceledAt = subscription.cancel_at_period_end && subscription.canceled_at ? subscription.canceled_at : at;
  Object.assign(subscription, { status: 'canceled', canceled_at: canceledAt, ended_at: at, pending_update: null });
  delete context.store.internal.pendingUpdates[subscription.id];
  emitEvent(context, 'customer.subscription.deleted', subscription, { previous, at });
}
