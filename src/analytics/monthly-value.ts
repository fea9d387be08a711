import type { Catalog } from '../catalog/catalog.types';

/** What an account holds: a plan, its billing interval and items (the plan and add-ons with quantities). */
export interface Holding {
  plan?: string;
  interval?: 'month' | 'year';
  items?: ReadonlyArray<{ kind: string; code: string; quantity: number }>;
}

/**
 * Monthly recurring value of a holding in one currency, in minor units (fractional: a yearly
 * price counts a twelfth a month; round only when reporting). One-time add-ons are not recurring.
 */
export function monthlyValue(catalog: Catalog, holding: Holding, currency: string): number {
  const interval = holding.interval ?? 'month';
  const items = holding.items ?? (holding.plan ? [{ kind: 'plan', code: holding.plan, quantity: 1 }] : []);
  let total = 0;
  for (const item of items) {
    const addOn = item.kind === 'plan' ? undefined : catalog.add_ons.find((a) => a.code === item.code);
    const prices =
      item.kind === 'plan'
        ? catalog.plans.find((p) => p.code === item.code)?.prices
        : addOn?.type === 'recurring'
          ? addOn.prices
          : undefined;
    const amount = prices?.[interval]?.[currency] ?? 0;
    total += (interval === 'year' ? amount / 12 : amount) * item.quantity;
  }
  return total;
}
