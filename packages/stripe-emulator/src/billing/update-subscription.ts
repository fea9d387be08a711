import type { EmulatorContext } from '../emulator-context';
import { emitEvent } from '../emulator-context';
import type { Customer, Invoice, Subscription } from '../resource-types';
import { StripeEmulatorError, invalidRequest } from '../stripe-error';
import { buildInvoice, finalizeInvoice, insertInvoice } from './invoice-builder';
import { type CollectionOutcome, collectInvoice } from './invoice-collection';
import { pendingItemDrafts, storeInvoiceItem } from './invoice-items';
import { PENDING_UPDATE_LIFETIME_SECONDS, createPendingUpdate } from './pending-updates';
import { type UpdatePlan, type UpdateRequest, planSubscriptionUpdate } from './plan-subscription-update';
import { applyItemPlans, previousItems } from './subscription-items';

export type PaymentBehavior =
  | 'allow_incomplete'
  | 'default_incomplete'
  | 'error_if_incomplete'
  | 'pending_if_incomplete';

/**
 * Parameters pending updates accept (Stripe refuses others with pending_if_incomplete).
 * NOTE: `metadata` is accepted since API version 2026-05-27.dahlia (STRIPE.md,
 * docs.stripe.com/billing/subscriptions/pending-updates-reference); it is applied at once.
 */
const PENDING_UPDATE_PARAMS = new Set([
  'metadata',
  'items',
  'proration_behavior',
  'proration_date',
  'billing_cycle_anchor',
  'trial_end',
  'trial_from_plan',
  'add_invoice_items',
  'payment_behavior',
  'expand',
]);

/**
 * NOTE: inside `items[]` a pending update takes the item, its price and quantity, and (since API
 * version 2026-07-29.dahlia) its own `discounts`; `add_invoice_items[]` takes a price and quantity
 * only: a discount on a one-time item cannot ride on a pending update.
 */
const PENDING_UPDATE_NESTED: Record<string, Set<string>> = {
  items: new Set(['id', 'price', 'quantity', 'deleted', 'discounts']),
  add_invoice_items: new Set(['price', 'quantity']),
};

export function assertPendingUpdateParams(params: Record<string, unknown>): void {
  if (params.payment_behavior !== 'pending_if_incomplete') return;
  const refused = Object.keys(params).find((key) => !PENDING_UPDATE_PARAMS.has(key));
  if (refused) {
    throw invalidRequest(
      `When payment_behavior is pending_if_incomplete, you can only pass the following parameters: ${[...PENDING_UPDATE_PARAMS].join(', ')}.`,
      { param: refused },
    );
  }
  for (const [name, allowed] of Object.entries(PENDING_UPDATE_NESTED)) {
    const entries = Array.isArray(params[name]) ? (params[name] as Array<Record<string, unknown>>) : [];
    entries.forEach((entry, index) => {
      const key = Object.keys(entry ?? {}).find((field) => !allowed.has(field));
      if (key)
        throw invalidRequest(
          `When payment_behavior is pending_if_incomplete, ${name}[] accepts only: ${[...allowed].join(', ')}.`,
          { param: `${name}[${index}][${key}]` },
        );
    });
  }
}

export function paymentMethodFor(context: EmulatorContext, subscription: Subscription): string | null {
  const customer = context.store.find<Customer>('customer', subscription.customer);
  return subscription.default_payment_method ?? customer?.invoice_settings.default_payment_method ?? null;
}

/** Invoices and collects the drafts an update produced; returns the invoice and how collection went. */
function invoiceUpdate(
  context: EmulatorContext,
  subscription: Subscription,
  plan: UpdatePlan,
  paymentBehavior: PaymentBehavior,
  now: number,
): { invoice: Invoice; outcome: CollectionOutcome } {
  const customer = context.store.require<Customer>('customer', subscription.customer);
  for (const draft of [...plan.prorations, ...plan.oneTime]) storeInvoiceItem(context, draft, customer, now);
  const drafts = [...pendingItemDrafts(context, customer.id, subscription.id), ...plan.periodCharges];
  const invoice = insertInvoice(
    context,
    buildInvoice(
      context,
      {
        customer,
        currency: subscription.currency,
        drafts,
        billingReason: 'subscription_update',
        subscription,
        at: now,
        prorationDate: plan.prorationDate,
      },
      { preview: false },
    ),
  );
  finalizeInvoice(context, invoice, now);
  const outcome = collectInvoice(context, invoice, {
    paymentMethodId: paymentMethodFor(context, subscription),
    confirm: paymentBehavior !== 'default_incomplete',
    at: now,
  });
  return { invoice, outcome };
}

function applyPlan(context: EmulatorContext, subscription: Subscription, plan: UpdatePlan, now: number): void {
  applyItemPlans(context, subscription, plan.items, plan.period, now);
  if (plan.resetAnchor) subscription.billing_cycle_anchor = plan.period.start;
  if (plan.startsTrial && plan.trialEnd !== null) {
    Object.assign(subscription, {
      status: 'trialing',
      trial_start: now,
      trial_end: plan.trialEnd,
      billing_cycle_anchor: plan.trialEnd,
    });
  } else if (subscription.status === 'trialing' && plan.trialEnd === null) {
    subscription.status = 'active';
    subscription.trial_end = now;
  } else if (plan.trialEnd !== null && plan.trialEnd !== subscription.trial_end && subscription.status === 'trialing') {
    // NOTE: moving trial_end moves the end of the trial period and the billing cycle anchor with it.
    subscription.trial_end = plan.trialEnd;
    subscription.billing_cycle_anchor = plan.trialEnd;
    for (const item of subscription.items.data) item.current_period_end = plan.trialEnd;
  }
}

/**
 * Changes a subscription's items the way Stripe does: prorate, invoice now or later,
 * and with `pending_if_incomplete` keep the old items until the new invoice is paid.
 */
export function updateSubscriptionItems(
  context: EmulatorContext,
  subscription: Subscription,
  request: UpdateRequest & { payment_behavior?: PaymentBehavior },
  now: number,
): void {
  const plan = planSubscriptionUpdate(context, subscription, request, now);
  const paymentBehavior = request.payment_behavior ?? 'allow_incomplete';
  const previous: Record<string, unknown> = {
    ...previousItems(subscription),
    status: subscription.status,
    latest_invoice: subscription.latest_invoice,
    trial_end: subscription.trial_end,
  };
  if (!plan.invoiceNow) {
    const customer = context.store.require<Customer>('customer', subscription.customer);
    const pendingDrafts =
      plan.prorationBehavior === 'create_prorations' ? [...plan.prorations, ...plan.oneTime] : plan.oneTime;
    for (const draft of pendingDrafts) storeInvoiceItem(context, draft, customer, now);
    applyPlan(context, subscription, plan, now);
    if (plan.itemsChanged || pendingDrafts.length > 0 || previous.trial_end !== subscription.trial_end)
      emitEvent(context, 'customer.subscription.updated', subscription, { previous, at: now });
    return;
  }
  const { invoice, outcome } = invoiceUpdate(context, subscription, plan, paymentBehavior, now);
  subscription.latest_invoice = invoice.id;
  if (outcome !== 'paid' && paymentBehavior === 'error_if_incomplete') throw incompletePaymentError(outcome);
  if (outcome !== 'paid' && paymentBehavior === 'pending_if_incomplete') {
    createPendingUpdate(
      context,
      subscription,
      {
        invoiceId: invoice.id,
        expiresAt: now + PENDING_UPDATE_LIFETIME_SECONDS,
        items: plan.items,
        period: plan.period,
        billingCycleAnchorReset: plan.resetAnchor,
        trialEnd: plan.trialEnd,
      },
      now,
    );
    emitEvent(context, 'customer.subscription.updated', subscription, {
      previous: { pending_update: null, latest_invoice: previous.latest_invoice },
      at: now,
    });
    return;
  }
  applyPlan(context, subscription, plan, now);
  if (outcome !== 'paid') subscription.status = 'past_due';
  emitEvent(context, 'customer.subscription.updated', subscription, { previous, at: now });
}

export function incompletePaymentError(outcome: CollectionOutcome): StripeEmulatorError {
  if (outcome === 'requires_action') {
    return new StripeEmulatorError(402, {
      type: 'card_error',
      code: 'authentication_required',
      decline_code: 'authentication_required',
      message: 'Your card was declined. This transaction requires authentication.',
    });
  }
  return new StripeEmulatorError(402, {
    type: 'card_error',
    code: 'card_declined',
    decline_code: 'generic_decline',
    message: 'Your card was declined.',
  });
}
