import type { EmulatorContext } from '../emulator-context';
import { emitEvent } from '../emulator-context';
import type { Invoice, Subscription } from '../resource-types';
import type { PendingUpdatePlan } from '../store';
import { voidInvoice } from './invoice-collection';
import { applyItemPlans, buildSubscriptionItem, previousItems } from './subscription-items';

/** NOTE: Stripe discards a pending update 23 hours after it was made (pending_update.expires_at). */
export const PENDING_UPDATE_LIFETIME_SECONDS = 23 * 3600;

/** Parks a change until its invoice is paid (`payment_behavior: pending_if_incomplete`). */
export function createPendingUpdate(
  context: EmulatorContext,
  subscription: Subscription,
  plan: PendingUpdatePlan,
  at: number,
): void {
  context.store.internal.pendingUpdates[subscription.id] = plan;
  subscription.pending_update = {
    billing_cycle_anchor: plan.billingCycleAnchorReset ? plan.period.start : null,
    expires_at: plan.expiresAt,
    subscription_items: plan.items.map((item) =>
      buildSubscriptionItem(context, item, subscription.id, plan.period, at),
    ),
    trial_end: plan.trialEnd,
    trial_from_plan: null,
  };
}

/** The pending update's invoice got paid: apply the change it was waiting for. */
export function applyPendingUpdate(context: EmulatorContext, subscription: Subscription, at: number): void {
  const plan = context.store.internal.pendingUpdates[subscription.id];
  if (!plan) return;
  const previous = { ...previousItems(subscription), pending_update: subscription.pending_update };
  applyItemPlans(context, subscription, plan.items, plan.period, at);
  if (plan.billingCycleAnchorReset) subscription.billing_cycle_anchor = plan.period.start;
  subscription.pending_update = null;
  delete context.store.internal.pendingUpdates[subscription.id];
  emitEvent(context, 'customer.subscription.pending_update_applied', subscription, { previous, at });
  emitEvent(context, 'customer.subscription.updated', subscription, { previous, at });
}

/** Past `expires_at` the change is dropped and its unpaid invoice voided. */
export function expirePendingUpdate(context: EmulatorContext, subscription: Subscription, at: number): void {
  const plan = context.store.internal.pendingUpdates[subscription.id];
  if (!plan) return;
  const previous = { pending_update: subscription.pending_update };
  subscription.pending_update = null;
  delete context.store.internal.pendingUpdates[subscription.id];
  const invoice = context.store.find<Invoice>('invoice', plan.invoiceId);
  if (invoice && invoice.status === 'open') voidInvoice(context, invoice, at);
  emitEvent(context, 'customer.subscription.pending_update_expired', subscription, { previous, at });
  emitEvent(context, 'customer.subscription.updated', subscription, { previous, at });
}

/** Called when an invoice becomes paid, whatever paid it (3-D Secure, retry, `invoices.pay`). */
export function afterInvoicePaid(context: EmulatorContext, invoice: Invoice, at: number): void {
  const subscriptionId = invoice.parent?.subscription_details.subscription;
  if (!subscriptionId) return;
  const subscription = context.store.find<Subscription>('subscription', subscriptionId);
  if (!subscription) return;
  if (context.store.internal.pendingUpdates[subscription.id]?.invoiceId === invoice.id) {
    applyPendingUpdate(context, subscription, at);
    return;
  }
  if (
    subscription.latest_invoice === invoice.id &&
    (subscription.status === 'incomplete' || subscription.status === 'past_due')
  ) {
    const previous = { status: subscription.status };
    subscription.status = subscription.trial_end !== null && subscription.trial_end > at ? 'trialing' : 'active';
    emitEvent(context, 'customer.subscription.updated', subscription, { previous, at });
  }
}
