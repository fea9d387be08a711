import type { EmulatorContext } from '../emulator-context';
import { emitEvent, timeFor } from '../emulator-context';
import { newId } from '../ids';
import type { Customer, Price, Subscription } from '../resource-types';
import { addInterval } from '../money/calendar';
import { invalidRequest } from '../stripe-error';
import { billingModeOf, type BillingModeRequest } from './billing-mode';
import { createDiscounts, type DiscountRequest } from './discounts';
import { buildInvoice, finalizeInvoice, insertInvoice } from './invoice-builder';
import { collectInvoice } from './invoice-collection';
import { oneTimeDraft, pendingItemDrafts, storeInvoiceItem } from './invoice-items';
import { unitAmountIn } from './price-amounts';
import { applyItemPlans, type ItemPlan, newItemId, periodDrafts, trialDrafts } from './subscription-items';
import { incompletePaymentError, type PaymentBehavior } from './update-subscription';

export interface CreateSubscriptionRequest {
  customer: string;
  items: Array<{
    price?: string;
    quantity?: number;
    metadata?: Record<string, string>;
    discounts?: DiscountRequest[] | null;
  }>;
  currency?: string;
  default_payment_method?: string;
  payment_behavior?: Exclude<PaymentBehavior, 'pending_if_incomplete'>;
  trial_period_days?: number;
  trial_end?: number | 'now';
  discounts?: DiscountRequest[] | null;
  add_invoice_items?: Array<{ price?: string; quantity?: number; discounts?: DiscountRequest[] | null }>;
  metadata?: Record<string, string>;
  cancel_at_period_end?: boolean;
  description?: string;
  billing_mode?: BillingModeRequest;
}

function validatePaymentMethod(
  context: EmulatorContext,
  customer: Customer,
  paymentMethodId: string | undefined,
): void {
  if (!paymentMethodId) return;
  const paymentMethod = context.store.find('payment_method', paymentMethodId);
  if (!paymentMethod || paymentMethod.customer !== customer.id) {
    throw invalidRequest(
      `The customer does not have a payment method with the ID ${paymentMethodId}. The payment method must be attached to the customer.`,
      { param: 'default_payment_method' },
    );
  }
}

/** NOTE: a Stripe customer has one currency once it has subscriptions; mixing is refused. */
function assertCustomerCurrency(context: EmulatorContext, customer: Customer, currency: string): void {
  if (!customer.currency || customer.currency === currency) return;
  const live = context.store.all<Subscription>(
    'subscription',
    (subscription) =>
      subscription.customer === customer.id &&
      subscription.status !== 'canceled' &&
      subscription.status !== 'incomplete_expired',
  );
  if (live.length > 0) {
    throw invalidRequest(
      `You cannot combine currencies on a single customer. This customer has an active subscription, subscription schedule, discount, quote, or invoice item with currency ${customer.currency}.`,
      { param: 'currency' },
    );
  }
}

/** Creates a subscription, its first invoice, and collects it according to `payment_behavior`. */
export function createSubscription(context: EmulatorContext, request: CreateSubscriptionRequest): Subscription {
  const customer = context.store.require<Customer>('customer', request.customer, 'customer');
  validatePaymentMethod(context, customer, request.default_payment_method);
  const now = timeFor(context, customer.id);
  const prices = request.items.map((item, index) => {
    if (!item.price)
      throw invalidRequest('You must pass a price or price_data.', {
        param: `items[${index}][price]`,
        code: 'parameter_missing',
      });
    const price = context.store.require<Price>('price', item.price, `items[${index}][price]`);
    if (!price.recurring)
      throw invalidRequest(
        `The price specified is set to \`type=one_time\` but this field only accepts prices with \`type=recurring\`.`,
        { param: `items[${index}][price]` },
      );
    return price;
  });
  const first = prices[0];
  if (!first) throw invalidRequest('Missing required param: items.', { param: 'items', code: 'parameter_missing' });
  const currency = (request.currency ?? customer.currency ?? first.currency).toLowerCase();
  prices.forEach((price, index) => unitAmountIn(price, currency, `items[${index}][price]`));
  assertCustomerCurrency(context, customer, currency);
  customer.currency = currency;
  const recurring = first.recurring ?? { interval: 'month' as const, interval_count: 1 };
  const trialEnd =
    request.trial_end === 'now'
      ? null
      : (request.trial_end ?? (request.trial_period_days ? now + request.trial_period_days * 86_400 : null));
  const period = { start: now, end: trialEnd ?? addInterval(now, recurring.interval, recurring.interval_count) };
  const id = newId('sub');
  const subscription: Subscription = {
    id,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: period.end === trialEnd ? trialEnd : now,
    billing_cycle_anchor_config: null,
    billing_mode: billingModeOf(request.billing_mode, now),
    cancel_at: null,
    cancel_at_period_end: request.cancel_at_period_end ?? false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, reason: null },
    collection_method: 'charge_automatically',
    created: now,
    currency,
    customer: customer.id,
    days_until_due: null,
    default_payment_method: request.default_payment_method ?? null,
    default_source: null,
    description: request.description ?? null,
    discounts: [],
    ended_at: null,
    invoice_settings: { account_tax_ids: null, issuer: { type: 'self' } },
    items: {
      object: 'list',
      data: [],
      has_more: false,
      total_count: 0,
      url: `/v1/subscription_items?subscription=${id}`,
    },
    latest_invoice: null,
    livemode: false,
    metadata: request.metadata ?? {},
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: now,
    status: 'incomplete',
    test_clock: customer.test_clock,
    transfer_data: null,
    trial_end: trialEnd,
    trial_settings: { end_behavior: { missing_payment_method: 'create_invoice' } },
    trial_start: trialEnd ? now : null,
  };
  const plans: ItemPlan[] = request.items.map((item, index) => ({
    id: newItemId(),
    priceId: (prices[index] as Price).id,
    quantity: item.quantity ?? 1,
    metadata: item.metadata ?? {},
    discounts: createDiscounts(context, item.discounts ?? [], { customer: customer.id, subscription: id }, now),
  }));
  applyItemPlans(context, subscription, plans, period, now);
  context.store.insert(subscription);
  subscription.discounts = createDiscounts(
    context,
    request.discounts ?? [],
    { customer: customer.id, subscription: id },
    now,
  );
  (request.add_invoice_items ?? []).forEach((entry, index) => {
    const draft = oneTimeDraft(context, {
      priceId: entry.price,
      quantity: entry.quantity,
      currency,
      period: { start: now, end: now },
      subscriptionId: id,
      param: `add_invoice_items[${index}]`,
      discounts: createDiscounts(context, entry.discounts ?? [], { customer: customer.id, subscription: id }, now),
    });
    storeInvoiceItem(context, draft, customer, now);
  });
  const drafts = [
    ...pendingItemDrafts(context, customer.id, id),
    ...(trialEnd
      ? trialDrafts(context, subscription, plans, period)
      : periodDrafts(context, subscription, plans, period)),
  ];
  const invoice = insertInvoice(
    context,
    buildInvoice(
      context,
      { customer, currency, drafts, billingReason: 'subscription_create', subscription, at: now },
      { preview: false },
    ),
  );
  finalizeInvoice(context, invoice, now);
  subscription.latest_invoice = invoice.id;
  const paymentBehavior = request.payment_behavior ?? 'allow_incomplete';
  const paymentMethodId = subscription.default_payment_method ?? customer.invoice_settings.default_payment_method;
  const outcome = collectInvoice(context, invoice, {
    paymentMethodId,
    confirm: paymentBehavior !== 'default_incomplete',
    at: now,
  });
  if (outcome !== 'paid' && paymentBehavior === 'error_if_incomplete') throw incompletePaymentError(outcome);
  subscription.status = outcome === 'paid' ? (trialEnd ? 'trialing' : 'active') : 'incomplete';
  emitEvent(context, 'customer.subscription.created', subscription, { at: now });
  return subscription;
}
