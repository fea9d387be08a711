import type { EmulatorStore } from '../store';
import type { Price, Product } from '../resource-types';
import { invalidRequest } from '../stripe-error';
import { formatAmount } from '../money/money-format';

/** The unit amount of a price in a currency: the price's own, or its `currency_options` entry. */
export function unitAmountIn(price: Price, currency: string, param = 'items'): number {
  if (price.currency === currency) return price.unit_amount;
  const option = price.currency_options?.[currency];
  if (option) return option.unit_amount;
  throw invalidRequest(`The price specified (${price.id}) does not support the currency ${currency}.`, { param });
}

export function productName(store: EmulatorStore, price: Price): string {
  return store.find<Product>('product', price.product)?.name ?? price.product;
}

function intervalText(price: Price): string {
  const recurring = price.recurring;
  if (!recurring) return '';
  return recurring.interval_count === 1
    ? ` / ${recurring.interval}`
    : ` / every ${recurring.interval_count} ${recurring.interval}s`;
}

/** "1 × Pro (at $10.00 / month)" — Stripe's description of a subscription line. */
export function itemDescription(store: EmulatorStore, price: Price, quantity: number, currency: string): string {
  return `${quantity} × ${productName(store, price)} (at ${formatAmount(unitAmountIn(price, currency), currency)}${intervalText(price)})`;
}

/** "Pro" or "2 × Pro", as used inside proration descriptions. */
export function quantityAndName(store: EmulatorStore, price: Price, quantity: number): string {
  const name = productName(store, price);
  return quantity === 1 ? name : `${quantity} × ${name}`;
}
