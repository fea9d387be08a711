import type { EmulatorContext } from '../emulator-context';
import { emitEvent } from '../emulator-context';
import { newId } from '../ids';
import type { Customer, Period, Price, Resource } from '../resource-types';
import type { DiscountAmount } from '../money/invoice-totals';
import type { ChargeDraft } from './charge-draft';
import { productName, unitAmountIn } from './price-amounts';

interface InvoiceItem extends Resource {
  object: 'invoiceitem';
  amount: number;
  currency: string;
  customer: string;
  description: string;
  invoice: string | null;
  period: Period;
  parent: {
    type: 'subscription_details';
    subscription_details: { subscription: string; subscription_item?: string };
  } | null;
  pricing: { type: 'price_details'; price_details: { price: string; product: string }; unit_amount_decimal: string };
  proration: boolean;
  /** NOTE: Stripe's `proration_details.discount_amounts`: what discounts took off a proration when it was made. */
  proration_details?: { discount_amounts: DiscountAmount[] };
  quantity: number;
  discounts: string[];
}

/** Stores a draft as a pending invoice item (`ii_...`), e.g. a proration waiting for the next invoice. */
export function storeInvoiceItem(
  context: EmulatorContext,
  draft: ChargeDraft,
  customer: Customer,
  at: number,
): ChargeDraft {
  const item: InvoiceItem = {
    id: newId('ii'),
    object: 'invoiceitem',
    amount: draft.amount,
    currency: draft.currency,
    customer: customer.id,
    date: at,
    description: draft.description,
    discountable: true,
    discounts: [...draft.discounts],
    invoice: null,
    livemode: false,
    metadata: {},
    net_amount: draft.amount,
    parent: draft.subscriptionId
      ? {
          type: 'subscription_details',
          subscription_details: {
            subscription: draft.subscriptionId,
            ...(draft.subscriptionItemId ? { subscription_item: draft.subscriptionItemId } : {}),
          },
        }
      : null,
    period: draft.period,
    pricing: {
      type: 'price_details',
      price_details: { price: draft.priceId, product: draft.productId },
      unit_amount_decimal: String(draft.unitAmount),
    },
    proration: draft.proration,
    ...(draft.discountAmounts ? { proration_details: { discount_amounts: draft.discountAmounts } } : {}),
    quantity: draft.quantity,
    test_clock: customer.test_clock,
  };
  context.store.insert(item);
  emitEvent(context, 'invoiceitem.created', item, { at });
  return { ...draft, invoiceItemId: item.id };
}

/** Pending invoice items a subscription's next invoice sweeps up (its own and customer-level ones). */
export function pendingItemDrafts(
  context: EmulatorContext,
  customerId: string,
  subscriptionId: string | null,
): ChargeDraft[] {
  return context.store
    .all<InvoiceItem>('invoiceitem', (item) => item.customer === customerId && item.invoice === null)
    .filter((item) => !item.parent || item.parent.subscription_details.subscription === subscriptionId)
    .reverse()
    .map((item) => ({
      amount: item.amount,
      currency: item.currency,
      description: item.description,
      period: item.period,
      priceId: item.pricing.price_details.price,
      productId: item.pricing.price_details.product,
      quantity: item.quantity,
      unitAmount: Number(item.pricing.unit_amount_decimal),
      proration: item.proration,
      subscriptionId: item.parent?.subscription_details.subscription ?? null,
      subscriptionItemId: item.parent?.subscription_details.subscription_item ?? null,
      invoiceItemId: item.id,
      discounts: [...item.discounts],
      ...(item.proration_details ? { discountAmounts: item.proration_details.discount_amounts } : {}),
    }));
}

/** A one-time charge from a price (`add_invoice_items`, `invoice_items`, `POST /v1/invoiceitems`). */
export function oneTimeDraft(
  context: EmulatorContext,
  input: {
    priceId?: string;
    amount?: number;
    quantity?: number;
    description?: string;
    currency: string;
    period: Period;
    subscriptionId: string | null;
    param: string;
    discounts?: string[];
  },
): ChargeDraft {
  const quantity = input.quantity ?? 1;
  if (input.priceId) {
    const price = context.store.require<Price>('price', input.priceId, `${input.param}[price]`);
    const unitAmount = unitAmountIn(price, input.currency, `${input.param}[price]`);
    return {
      amount: unitAmount * quantity,
      currency: input.currency,
      description: input.description ?? productName(context.store, price),
      period: input.period,
      priceId: price.id,
      productId: price.product,
      quantity,
      unitAmount,
      proration: false,
      subscriptionId: input.subscriptionId,
      subscriptionItemId: null,
      invoiceItemId: null,
      discounts: input.discounts ?? [],
    };
  }
  const amount = input.amount ?? 0;
  return {
    amount,
    currency: input.currency,
    description: input.description ?? 'Invoice item',
    period: input.period,
    priceId: newId('price'),
    productId: newId('prod'),
    quantity: 1,
    unitAmount: amount,
    proration: false,
    subscriptionId: input.subscriptionId,
    subscriptionItemId: null,
    invoiceItemId: null,
    discounts: input.discounts ?? [],
  };
}
