import type { EmulatorContext } from '../emulator-context';
import { timeFor } from '../emulator-context';
import type { Customer, Invoice, Price, Subscription } from '../resource-types';
import { addInterval } from '../money/calendar';
import { invalidRequest, parameterMissing } from '../stripe-error';
import type { ChargeDraft } from './charge-draft';
import { buildInvoice } from './invoice-builder';
import { oneTimeDraft, pendingItemDrafts } from './invoice-items';
import { type UpdateRequest, planSubscriptionUpdate } from './plan-subscription-update';
import { billingModeTypeOf, type BillingModeRequest } from './billing-mode';
import { createDiscounts, type DiscountRequest } from './discounts';
import { newItemId, periodDrafts } from './subscription-items';
import { nextPeriod } from './renew-subscription';

export interface PreviewRequest {
  customer?: string;
  subscription?: string;
  currency?: string;
  discounts?: DiscountRequest[] | null;
  subscription_details?: UpdateRequest & { billing_mode?: BillingModeRequest };
  invoice_items?: Array<{
    price?: string;
    quantity?: number;
    amount?: number;
    currency?: string;
    description?: string;
    discounts?: DiscountRequest[] | null;
  }>;
}

/**
 * `POST /v1/invoices/create_preview`: the invoice a change would create now (always_invoice,
 * a new billing cycle anchor) or else the next renewal invoice, from the same drafts the
 * real change uses, so totals agree to the minor unit.
 */
export function previewInvoice(context: EmulatorContext, request: PreviewRequest): Invoice {
  if (request.subscription) return previewSubscription(context, request, request.subscription);
  if (!request.customer) throw parameterMissing('customer');
  const customer = context.store.require<Customer>('customer', request.customer, 'customer');
  const now = timeFor(context, customer.id);
  const items = request.subscription_details?.items ?? [];
  if (items.length === 0) {
    const currency = request.currency ?? customer.currency ?? 'usd';
    const drafts = [
      ...pendingItemDrafts(context, customer.id, null),
      ...extraItems(context, request, currency, now, null, customer.id),
    ];
    return buildInvoice(
      context,
      { customer, currency, drafts, billingReason: 'manual', subscription: null, at: now },
      { preview: true },
    );
  }
  const firstPrice = context.store.require<Price>(
    'price',
    items[0]?.price ?? '',
    'subscription_details[items][0][price]',
  );
  const currency = (request.currency ?? customer.currency ?? firstPrice.currency).toLowerCase();
  const recurring = firstPrice.recurring ?? { interval: 'month' as const, interval_count: 1 };
  const period = { start: now, end: addInterval(now, recurring.interval, recurring.interval_count) };
  const draftSubscription = { id: '', currency, customer: customer.id } as Subscription;
  const plans = items.map((item, index) => {
    if (!item.price) throw parameterMissing(`subscription_details[items][${index}][price]`);
    const discounts = createDiscounts(
      context,
      item.discounts ?? [],
      { customer: customer.id, subscription: null },
      now,
    );
    return { id: newItemId(), priceId: item.price, quantity: item.quantity ?? 1, metadata: {}, discounts };
  });
  const drafts = [
    ...periodDrafts(context, draftSubscription, plans, period).map((draft) => ({ ...draft, subscriptionId: null })),
    ...extraItems(context, request, currency, now, null, customer.id),
  ];
  // NOTE: `discounts` previews the new subscription's own discounts (what Checkout's `discounts` become).
  const discounts = createDiscounts(
    context,
    request.discounts ?? [],
    { customer: customer.id, subscription: null },
    now,
  );
  return buildInvoice(
    context,
    { customer, currency, drafts, billingReason: 'subscription_create', subscription: null, at: now, discounts },
    { preview: true },
  );
}

function previewSubscription(context: EmulatorContext, request: PreviewRequest, subscriptionId: string): Invoice {
  const subscription = context.store.require<Subscription>('subscription', subscriptionId, 'subscription');
  if (request.customer && request.customer !== subscription.customer)
    throw invalidRequest('The subscription does not belong to this customer.', { param: 'customer' });
  const customer = context.store.require<Customer>('customer', subscription.customer, 'customer');
  // NOTE: an existing subscription is previewed in its own billing mode; flexible never goes back to classic.
  if (request.subscription_details?.billing_mode?.type === 'classic' && billingModeTypeOf(subscription) === 'flexible')
    throw invalidRequest('You can’t preview a flexible billing mode subscription in classic billing mode.', {
      param: 'subscription_details[billing_mode][type]',
    });
  const now = timeFor(context, customer.id);
  const pending = pendingItemDrafts(context, customer.id, subscription.id);
  const extra = extraItems(context, request, subscription.currency, now, subscription.id, customer.id);
  const plan = planSubscriptionUpdate(context, subscription, request.subscription_details ?? {}, now);
  if (plan.invoiceNow) {
    const drafts = [...pending, ...plan.prorations, ...plan.oneTime, ...extra, ...plan.periodCharges];
    return buildInvoice(
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
      { preview: true },
    );
  }
  const period = nextPeriod(context, subscription);
  const waiting: ChargeDraft[] =
    plan.prorationBehavior === 'create_prorations' ? [...plan.prorations, ...plan.oneTime] : plan.oneTime;
  const drafts = [...pending, ...waiting, ...extra, ...periodDrafts(context, subscription, plan.items, period)];
  return buildInvoice(
    context,
    {
      customer,
      currency: subscription.currency,
      drafts,
      billingReason: 'upcoming',
      subscription,
      at: period.start,
      period: { start: period.start, end: period.start },
      prorationDate: plan.prorationDate,
    },
    { preview: true },
  );
}

function extraItems(
  context: EmulatorContext,
  request: PreviewRequest,
  currency: string,
  now: number,
  subscriptionId: string | null,
  customerId: string,
): ChargeDraft[] {
  return (request.invoice_items ?? []).map((item, index) =>
    oneTimeDraft(context, {
      priceId: item.price,
      amount: item.amount,
      quantity: item.quantity,
      description: item.description,
      currency,
      period: { start: now, end: now },
      subscriptionId,
      param: `invoice_items[${index}]`,
      discounts: createDiscounts(
        context,
        item.discounts ?? [],
        { customer: customerId, subscription: subscriptionId },
        now,
      ),
    }),
  );
}
