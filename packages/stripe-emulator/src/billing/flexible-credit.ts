import type { EmulatorContext } from '../emulator-context';
import type { Invoice, Resource, Subscription } from '../resource-types';
import { applyDiscounts, type DiscountAmount } from '../money/invoice-totals';
import { applicableDiscounts } from './discounts';
import type { ItemPlan } from './subscription-items';

/**
 * What a customer was debited for an item over a span of its current period: the line's amount and
 * what each discount took off it (its own discounts, and its share of the invoice's).
 */
export interface ItemDebit {
  amount: number;
  discounts: DiscountAmount[];
  start: number;
  end: number;
}

interface PendingInvoiceItem extends Resource {
  amount: number;
  invoice: string | null;
  period: { start: number; end: number };
  quantity: number;
  discounts: string[];
  pricing: { price_details: { price: string } };
  parent: { subscription_details: { subscription: string; subscription_item?: string } } | null;
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/**
 * The last debit for this item (same price and quantity) that runs to `periodEnd` and began by
 * `at`: the amount the customer was charged for it after its own discounts and its share of the
 * invoice's discounts, spread in proportion to the lines' amounts. NOTE: flexible billing mode
 * computes credit prorations from this amount, not from the price today
 * (docs.stripe.com/billing/subscriptions/billing-mode/compare, "Credit proration calculations";
 * docs.stripe.com/billing/subscriptions/prorations#credit-prorations).
 */
export function lastDebitFor(
  context: EmulatorContext,
  subscription: Subscription,
  item: ItemPlan,
  periodEnd: number,
  at: number,
): ItemDebit | null {
  const matches = (entry: {
    amount: number;
    period: { start: number; end: number };
    quantity: number | null;
    price: string | undefined;
  }) =>
    entry.amount > 0 &&
    entry.price === item.priceId &&
    entry.quantity === item.quantity &&
    entry.period.end === periodEnd &&
    entry.period.start <= at;
  let found: (ItemDebit & { created: number }) | null = null;
  const keep = (candidate: ItemDebit & { created: number }) => {
    if (!found || candidate.created >= found.created) found = candidate;
  };
  const invoices = context.store.all<Invoice>(
    'invoice',
    (invoice) => invoice.parent?.subscription_details.subscription === subscription.id && invoice.status !== 'void',
  );
  for (const invoice of invoices) {
    const lines = invoice.lines.data;
    const amountsOf = (line: (typeof lines)[number]) => (line.discount_amounts as DiscountAmount[] | undefined) ?? [];
    const lineNet = (line: (typeof lines)[number]) => line.amount - sum(amountsOf(line).map((entry) => entry.amount));
    // NOTE: invoice-level discounts are spread across the lines in proportion to what each still owes.
    const invoiceLevel = new Map<string, number>();
    for (const entry of (invoice.total_discount_amounts as DiscountAmount[] | undefined) ?? [])
      invoiceLevel.set(entry.discount, (invoiceLevel.get(entry.discount) ?? 0) + entry.amount);
    for (const entry of lines.flatMap(amountsOf))
      invoiceLevel.set(entry.discount, (invoiceLevel.get(entry.discount) ?? 0) - entry.amount);
    const positiveNet = sum(lines.map(lineNet).filter((value) => value > 0));
    for (const line of lines) {
      if (line.parent.subscription_item_details?.subscription_item !== item.id) continue;
      const candidate = {
        amount: line.amount,
        period: line.period,
        quantity: line.quantity,
        price: line.pricing?.price_details.price,
      };
      if (!matches(candidate)) continue;
      const net = lineNet(line);
      const shares = [...invoiceLevel]
        .filter(([, amount]) => amount > 0 && positiveNet > 0 && net > 0)
        .map(([discount, amount]) => ({ discount, amount: (amount * net) / positiveNet }));
      keep({
        amount: line.amount,
        discounts: [...amountsOf(line), ...shares],
        start: line.period.start,
        end: line.period.end,
        created: invoice.created,
      });
    }
  }
  const pending = context.store.all<PendingInvoiceItem>(
    'invoiceitem',
    (entry) =>
      entry.invoice === null &&
      entry.parent?.subscription_details.subscription === subscription.id &&
      entry.parent.subscription_details.subscription_item === item.id,
  );
  for (const entry of pending) {
    const candidate = {
      amount: entry.amount,
      period: entry.period,
      quantity: entry.quantity,
      price: entry.pricing.price_details.price,
    };
    if (!matches(candidate)) continue;
    keep({
      amount: entry.amount,
      discounts: applyDiscounts(entry.amount, applicableDiscounts(context, entry.discounts, at)),
      start: entry.period.start,
      end: entry.period.end,
      created: Number(entry.date),
    });
  }
  return found;
}
