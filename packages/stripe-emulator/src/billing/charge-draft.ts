import { newId } from '../ids';
import type { DiscountAmount } from '../money/invoice-totals';
import type { InvoiceLine, Period } from '../resource-types';

/**
 * One amount an invoice will carry, before it is an invoice line. Previews and real
 * invoices are both built from drafts, so a preview matches its invoice to the minor unit.
 */
export interface ChargeDraft {
  amount: number;
  currency: string;
  description: string;
  period: Period;
  priceId: string;
  productId: string;
  quantity: number;
  unitAmount: number;
  proration: boolean;
  subscriptionId: string | null;
  subscriptionItemId: string | null;
  invoiceItemId: string | null;
  /** Ids of the discounts (`di_...`) on this line's item. */
  discounts: string[];
  /**
   * What each discount takes off this line, when already known (a flexible credit proration
   * mirrors the debit it credits); absent: worked out from the discounts' coupons.
   */
  discountAmounts?: DiscountAmount[];
}

export function lineFromDraft(
  draft: ChargeDraft,
  invoiceId: string | null,
  discountAmounts: DiscountAmount[],
): InvoiceLine {
  const details = {
    proration: draft.proration,
    proration_details: { credited_items: null },
    subscription: draft.subscriptionId,
  };
  const parent: InvoiceLine['parent'] = draft.subscriptionItemId
    ? {
        type: 'subscription_item_details',
        invoice_item_details: null,
        subscription_item_details: {
          ...details,
          invoice_item: draft.invoiceItemId,
          subscription_item: draft.subscriptionItemId,
        },
      }
    : {
        type: 'invoice_item_details',
        subscription_item_details: null,
        invoice_item_details: { ...details, invoice_item: draft.invoiceItemId ?? '' },
      };
  return {
    id: newId('il'),
    object: 'line_item',
    amount: draft.amount,
    currency: draft.currency,
    description: draft.description,
    discount_amounts: discountAmounts,
    discountable: true,
    discounts: [...draft.discounts],
    invoice: invoiceId,
    livemode: false,
    metadata: {},
    parent,
    period: { ...draft.period },
    pretax_credit_amounts: [],
    pricing: {
      type: 'price_details',
      price_details: { price: draft.priceId, product: draft.productId },
      unit_amount_decimal: String(draft.unitAmount),
    },
    quantity: draft.quantity,
    subscription: draft.subscriptionId,
    subtotal: draft.amount,
    taxes: [],
  };
}
