import type { EmulatorContext } from '../emulator-context';
import type { Period, Price, Subscription } from '../resource-types';
import { addInterval } from '../money/calendar';
import { formatDate } from '../money/money-format';
import { prorationCredit, prorationDebit } from '../money/proration';
import { invalidRequest, parameterMissing, resourceMissing } from '../stripe-error';
import type { ChargeDraft } from './charge-draft';
import { billingModeTypeOf } from './billing-mode';
import { createDiscounts, type DiscountRequest } from './discounts';
import { lastDebitFor } from './flexible-credit';
import { applicableDiscounts } from './discounts';
import { applyDiscounts, appliesTo } from '../money/invoice-totals';
import { oneTimeDraft } from './invoice-items';
import { quantityAndName, unitAmountIn } from './price-amounts';
import {
  type ItemPlan,
  itemPlansOf,
  newItemId,
  periodDrafts,
  recurringOf,
  subscriptionPeriod,
} from './subscription-items';

export type ProrationBehavior = 'create_prorations' | 'always_invoice' | 'none';

export interface UpdateRequest {
  items?: Array<{
    id?: string;
    price?: string;
    quantity?: number;
    deleted?: boolean;
    metadata?: Record<string, string> | null;
    discounts?: DiscountRequest[] | null;
  }>;
  proration_behavior?: ProrationBehavior;
  proration_date?: number;
  billing_cycle_anchor?: 'now' | 'unchanged';
  trial_end?: number | 'now';
  add_invoice_items?: Array<{ price?: string; quantity?: number; discounts?: DiscountRequest[] | null }>;
}

/**
 * Everything a subscription change would do. Only the discounts it names are created
 * here; a preview discards them with the rest of its unit of work.
 */
export interface UpdatePlan {
  items: ItemPlan[];
  prorations: ChargeDraft[];
  periodCharges: ChargeDraft[];
  oneTime: ChargeDraft[];
  resetAnchor: boolean;
  period: Period;
  prorationDate: number;
  prorationBehavior: ProrationBehavior;
  invoiceNow: boolean;
  itemsChanged: boolean;
  /** An active subscription given a future trial_end: free until then, the cycle anchored there. */
  startsTrial: boolean;
  trialEnd: number | null;
}

export function planSubscriptionUpdate(
  context: EmulatorContext,
  subscription: Subscription,
  request: UpdateRequest,
  now: number,
): UpdatePlan {
  const current = subscriptionPeriod(subscription);
  const prorationBehavior = request.proration_behavior ?? 'create_prorations';
  const prorationDate = request.proration_date ?? now;
  if (prorationDate < current.start || prorationDate > current.end) {
    throw invalidRequest('The proration_date must be within the current billing period of the subscription.', {
      param: 'proration_date',
    });
  }
  const oldItems = itemPlansOf(subscription);
  const items = resolveItems(context, subscription, now, oldItems, request.items ?? []);
  const oldRecurring = recurringOf(context, oldItems[0]?.priceId ?? items[0]?.priceId ?? '');
  const newRecurring = recurringOf(context, items[0]?.priceId ?? '');
  const intervalChanged =
    oldRecurring.interval !== newRecurring.interval || oldRecurring.interval_count !== newRecurring.interval_count;
  const endsTrialNow = request.trial_end === 'now' && subscription.status === 'trialing';
  // NOTE: a future trial_end on an active subscription starts a free period until then and moves
  // the billing cycle there; nothing is charged now (docs.stripe.com/billing/subscriptions/billing-cycle,
  // "Add a trial to change the billing cycle"), whatever the interval of the new items. The emulator
  // issues no invoice for it.
  const startsTrial =
    typeof request.trial_end === 'number' && request.trial_end > now && subscription.status === 'active';
  const resetAnchor = !startsTrial && (intervalChanged || request.billing_cycle_anchor === 'now' || endsTrialNow);
  const trialing = (subscription.status === 'trialing' && !endsTrialNow) || startsTrial;
  const prorate = prorationBehavior !== 'none' && !trialing && subscription.status !== 'incomplete';
  const input = { periodStart: current.start, periodEnd: current.end, prorationDate };
  const prorations = prorate ? prorationDrafts(context, subscription, oldItems, items, input, resetAnchor) : [];
  const period =
    startsTrial && typeof request.trial_end === 'number'
      ? { start: now, end: request.trial_end }
      : resetAnchor
        ? { start: now, end: addInterval(now, newRecurring.interval, newRecurring.interval_count) }
        : current;
  const periodCharges = resetAnchor ? periodDrafts(context, subscription, items, period) : [];
  const oneTime = (request.add_invoice_items ?? []).map((entry, index) =>
    oneTimeDraft(context, {
      priceId: entry.price,
      quantity: entry.quantity,
      currency: subscription.currency,
      period: { start: now, end: now },
      subscriptionId: subscription.id,
      param: `add_invoice_items[${index}]`,
      discounts: createDiscounts(
        context,
        entry.discounts ?? [],
        { customer: subscription.customer, subscription: subscription.id },
        now,
      ),
    }),
  );
  const itemsChanged = JSON.stringify(items) !== JSON.stringify(oldItems);
  return {
    items,
    prorations,
    periodCharges,
    oneTime,
    resetAnchor,
    period,
    prorationDate,
    prorationBehavior,
    invoiceNow:
      resetAnchor || (prorationBehavior === 'always_invoice' && (prorations.length > 0 || oneTime.length > 0)),
    itemsChanged,
    startsTrial,
    trialEnd: typeof request.trial_end === 'number' ? request.trial_end : endsTrialNow ? null : subscription.trial_end,
  };
}

function resolveItems(
  context: EmulatorContext,
  subscription: Subscription,
  now: number,
  oldItems: ItemPlan[],
  changes: NonNullable<UpdateRequest['items']>,
): ItemPlan[] {
  const items = oldItems.map((item) => ({ ...item, metadata: { ...item.metadata }, discounts: [...item.discounts] }));
  const owner = { customer: subscription.customer, subscription: subscription.id };
  const discountsFor = (requests: DiscountRequest[] | null) => createDiscounts(context, requests ?? [], owner, now);
  changes.forEach((change, index) => {
    const param = `items[${index}]`;
    if (change.price) context.store.require<Price>('price', change.price, `${param}[price]`);
    if (change.id) {
      const position = items.findIndex((item) => item.id === change.id);
      if (position === -1) throw resourceMissing('subscription item', change.id, `${param}[id]`);
      if (change.deleted) {
        items.splice(position, 1);
        return;
      }
      const item = items[position] as ItemPlan;
      if (change.price) item.priceId = change.price;
      if (change.quantity !== undefined) item.quantity = change.quantity;
      if (change.metadata !== undefined) item.metadata = change.metadata ?? {};
      if (change.discounts !== undefined) item.discounts = discountsFor(change.discounts);
      return;
    }
    if (!change.price) throw parameterMissing(`${param}[price]`);
    items.push({
      id: newItemId(),
      priceId: change.price,
      quantity: change.quantity ?? 1,
      metadata: change.metadata ?? {},
      discounts: discountsFor(change.discounts ?? null),
    });
  });
  if (items.length === 0)
    throw invalidRequest('A subscription must have at least one active item.', { param: 'items' });
  return items;
}

type ProrationInput = { periodStart: number; periodEnd: number; prorationDate: number };

/**
 * "Unused time on Pro after …" (credit) or "Remaining time on Premium after …" (debit).
 * NOTE (docs.stripe.com/billing/subscriptions/billing-mode/compare, "Credit proration calculations"):
 * classic credits today's price and quantity, then applies the item's discounts as they are now;
 * flexible credits the unused share of what was debited for the item, discounts included, so a
 * `once` coupon spent since, or a new price, never changes the credit. Flexible shows discounts on
 * prorations `itemized` (gross amount, each discount's amount) or `included` (net amount, discount
 * amounts 0; docs.stripe.com/changelog/clover/2025-09-30/itemize-proration-discount-amounts).
 */
function prorationDraft(
  context: EmulatorContext,
  subscription: Subscription,
  item: ItemPlan,
  sign: 'credit' | 'debit',
  input: ProrationInput,
): ChargeDraft {
  const price = context.store.require<Price>('price', item.priceId);
  const unitAmount = unitAmountIn(price, subscription.currency);
  const full = unitAmount * item.quantity;
  const words = sign === 'credit' ? 'Unused time on' : 'Remaining time on';
  const base: ChargeDraft = {
    amount: sign === 'credit' ? prorationCredit(full, input) : prorationDebit(full, input),
    currency: subscription.currency,
    description: `${words} ${quantityAndName(context.store, price, item.quantity)} after ${formatDate(input.prorationDate)}`,
    period: { start: input.prorationDate, end: input.periodEnd },
    priceId: price.id,
    productId: price.product,
    quantity: item.quantity,
    unitAmount,
    proration: true,
    subscriptionId: subscription.id,
    subscriptionItemId: item.id,
    invoiceItemId: null,
    discounts: [...item.discounts],
  };
  const mode = subscription.billing_mode;
  if (billingModeTypeOf(subscription) !== 'flexible') return base;
  const itemized = mode?.flexible?.proration_discounts === 'itemized';
  if (sign === 'debit') {
    if (itemized) return base;
    const own = applyDiscounts(
      base.amount,
      applicableDiscounts(context, item.discounts, input.prorationDate).filter((rule) =>
        appliesTo(rule, price.product),
      ),
    );
    return {
      ...base,
      amount: base.amount - sumAmounts(own),
      discountAmounts: own.map((entry) => ({ ...entry, amount: 0 })),
    };
  }
  const debit = lastDebitFor(context, subscription, item, input.periodEnd, input.prorationDate);
  if (!debit) return base;
  const span = { periodStart: debit.start, periodEnd: debit.end, prorationDate: input.prorationDate };
  const scaled = debit.discounts.map((entry) => ({
    discount: entry.discount,
    amount: prorationCredit(entry.amount, span),
  }));
  const gross = prorationCredit(debit.amount, span);
  return itemized
    ? { ...base, amount: gross, discounts: scaled.map((entry) => entry.discount), discountAmounts: scaled }
    : {
        ...base,
        amount: prorationCredit(debit.amount - sumAmounts(debit.discounts), span),
        discounts: scaled.map((entry) => entry.discount),
        discountAmounts: scaled.map((entry) => ({ ...entry, amount: 0 })),
      };
}

const sumAmounts = (entries: Array<{ amount: number }>) => entries.reduce((total, entry) => total + entry.amount, 0);

/** Credit for each old item's unused time and debit for each new item's remaining time. */
function prorationDrafts(
  context: EmulatorContext,
  subscription: Subscription,
  oldItems: ItemPlan[],
  newItems: ItemPlan[],
  input: ProrationInput,
  resetAnchor: boolean,
): ChargeDraft[] {
  const drafts: ChargeDraft[] = [];
  for (const oldItem of oldItems) {
    const newItem = newItems.find((item) => item.id === oldItem.id);
    const changed = !newItem || newItem.priceId !== oldItem.priceId || newItem.quantity !== oldItem.quantity;
    if (resetAnchor || changed) drafts.push(prorationDraft(context, subscription, oldItem, 'credit', input));
    if (!resetAnchor && newItem && changed) drafts.push(prorationDraft(context, subscription, newItem, 'debit', input));
  }
  if (!resetAnchor) {
    for (const newItem of newItems) {
      if (!oldItems.some((item) => item.id === newItem.id))
        drafts.push(prorationDraft(context, subscription, newItem, 'debit', input));
    }
  }
  return drafts.filter((entry) => entry.amount !== 0);
}

/** Credits for the unused time of every item, as when a subscription is canceled with `prorate`. */
export function unusedTimeCredits(context: EmulatorContext, subscription: Subscription, at: number): ChargeDraft[] {
  const period = subscriptionPeriod(subscription);
  const input = { periodStart: period.start, periodEnd: period.end, prorationDate: at };
  return itemPlansOf(subscription)
    .map((item) => prorationDraft(context, subscription, item, 'credit', input))
    .filter((entry) => entry.amount !== 0);
}
