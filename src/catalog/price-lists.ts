import type { Catalog, Interval, IntervalPrices, PriceList } from './catalog.types';

/** The price list for an account's country (ISO alpha-2, any case); the catalog's default list otherwise. */
export function resolvePriceList(catalog: Catalog, country: string | null | undefined): PriceList {
  const wanted = country?.trim().toUpperCase();
  const own = wanted ? catalog.price_lists.find((list) => list.countries.includes(wanted)) : undefined;
  if (own) return own;
  const fallback = catalog.price_lists.find((list) => list.code === catalog.default_price_list);
  // validateCatalog guarantees the default list exists.
  return fallback ?? (catalog.price_lists[0] as PriceList);
}

/** Amount in minor units for an interval and currency; 0 when the item has no prices (the free plan); undefined when not sold that way. */
export function intervalAmount(
  prices: IntervalPrices | undefined,
  interval: Interval,
  currency: string,
): number | undefined {
  if (!prices) return 0;
  return prices[interval]?.[currency];
}

/** NOTE: never hard-coded: 12 × monthly − annual, in minor units; undefined without both prices. */
export function annualSaving(prices: IntervalPrices | undefined, currency: string): number | undefined {
  const monthly = prices?.month?.[currency];
  const annual = prices?.year?.[currency];
  if (monthly === undefined || annual === undefined) return undefined;
  return 12 * monthly - annual;
}
