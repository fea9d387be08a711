import { findAddOn, findPlan } from './catalog-lookup';
import type { Bundle, Catalog } from './catalog.types';
import { bundleItemCode, isPlanItem } from './catalog.types';

export interface BundleLine {
  kind: 'plan' | 'add_on';
  code: string;
  quantity: number;
  recurring: boolean;
  /** Before the bundle discount, in minor units. */
  amount: number;
  discount: number;
}

export interface BundlePrice {
  currency: string;
  lines: BundleLine[];
  /** Sum of the items at their own prices. */
  regular: number;
  discount: number;
  /** What the first invoice of the bundle comes to. */
  total: number;
  /** What each later invoice comes to (recurring items, less a `forever` discount). */
  renewal: number;
}

/**
 * The bundle's price as the sum of its items in one currency, less its percentage on
 * the discounted items. NOTE: Stripe applies a percent_off coupon per line and rounds
 * each line to the minor unit; we round per line the same way so quotes match.
 */
export function bundlePrice(catalog: Catalog, bundle: Bundle, currency: string): BundlePrice {
  const lines = bundle.items.map((item): BundleLine => {
    const code = bundleItemCode(item);
    let unit: number | undefined;
    let recurring = true;
    if (isPlanItem(item)) {
      unit = findPlan(catalog, code)?.prices?.[bundle.interval]?.[currency];
    } else {
      const addOn = findAddOn(catalog, code);
      recurring = addOn?.type === 'recurring';
      unit = addOn?.type === 'recurring' ? addOn.prices[bundle.interval]?.[currency] : addOn?.price[currency];
    }
    if (unit === undefined) throw new Error(`bundle ${bundle.code}: ${code} has no ${currency} price`);
    const amount = unit * item.quantity;
    const discounted = bundle.discount.applies_to.includes(code);
    const discount = discounted ? Math.round((amount * bundle.discount.percent_off) / 100) : 0;
    return { kind: isPlanItem(item) ? 'plan' : 'add_on', code, quantity: item.quantity, recurring, amount, discount };
  });
  const regular = lines.reduce((sum, line) => sum + line.amount, 0);
  const discount = lines.reduce((sum, line) => sum + line.discount, 0);
  const renewal = lines
    .filter((line) => line.recurring)
    .reduce((sum, line) => sum + line.amount - (bundle.discount.duration === 'forever' ? line.discount : 0), 0);
  return { currency, lines, regular, discount, total: regular - discount, renewal };
}
