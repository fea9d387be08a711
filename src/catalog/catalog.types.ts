import type { z } from 'zod';
import type { addOnSchema, catalogSchema, featureSchema } from './catalog.schema';

/** A validated catalog (only validateCatalog / loadCatalog produce one). */
export type Catalog = z.output<typeof catalogSchema>;
export type Interval = 'month' | 'year';
/** Currency (lowercase ISO) → amount in minor units. */
export type PriceMap = Record<string, number>;
export type IntervalPrices = { month?: PriceMap; year?: PriceMap };
export type Limit = number | 'unlimited';

export type Feature = z.output<typeof featureSchema>;
export type MeteredFeature = Extract<Feature, { type: 'metered' }>;
export type BooleanFeature = Extract<Feature, { type: 'boolean' }>;
export type Plan = Catalog['plans'][number];
export type AddOn = z.output<typeof addOnSchema>;
export type RecurringAddOn = Extract<AddOn, { type: 'recurring' }>;
export type OneTimeAddOn = Extract<AddOn, { type: 'one_time' }>;
export type Bundle = Catalog['bundles'][number];
export type BundleItem = Bundle['items'][number];
export type PriceList = Catalog['price_lists'][number];

export function isPlanItem(item: BundleItem): item is Extract<BundleItem, { plan: string }> {
  return 'plan' in item;
}

export function bundleItemCode(item: BundleItem): string {
  return isPlanItem(item) ? item.plan : item.add_on;
}
