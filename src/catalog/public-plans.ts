import { catalogItemGuarantee } from '../guarantees/catalog-item-guarantee';
import { guaranteePoliciesOf } from '../guarantees/guarantee-policies';
import { unprocessable } from '../shared/errors';
import { nextTier } from './catalog-lookup';
import type { Catalog, Interval, PriceList } from './catalog.types';
import { buildComparisonTable, type ComparisonTable } from './comparison-table';
import type { LoadedCatalog } from './load-catalog';
import { resolvePriceList } from './price-lists';

export interface PublicPlansInput {
  loaded: LoadedCatalog;
  at: Date;
  interval?: Interval;
  locale?: string;
  /** ISO alpha-2 (upper case): picks the country's price list, as for an account of that country. */
  country?: string;
  /** ISO 4217 (lower case): picks a price list in that currency when no country is given. */
  currency?: string;
}

/**
 * The catalog for a visitor who is not logged in (a pricing page): the price list of the country
 * or currency asked for, nothing marked current, the first paid tier recommended (what a new,
 * free account is recommended), and the guarantees a first purchase would be granted.
 */
export function showPublicPlans(input: PublicPlansInput): ComparisonTable & { country: string | null } {
  const { catalog } = input.loaded;
  const priceList = publicPriceList(catalog, input.country, input.currency);
  const country = input.country ?? priceList.countries[0] ?? null;
  const entry = catalog.plans[0]?.code;
  const table = buildComparisonTable({
    catalog,
    messages: input.loaded.messages,
    priceList,
    locale: input.locale ?? 'en',
    interval: input.interval ?? 'month',
    recommendedPlan: entry ? nextTier(catalog, entry)?.code : undefined,
    guarantee: catalogItemGuarantee(
      guaranteePoliciesOf(catalog),
      catalog,
      { country: country ?? '', planCode: undefined, priorClaims: [] },
      input.at,
    ),
  });
  return { ...table, country };
}

/** The country's list; else a list in the currency asked for (full price point first); else the default list. */
function publicPriceList(catalog: Catalog, country: string | undefined, currency: string | undefined): PriceList {
  if (country) {
    const list = resolvePriceList(catalog, country);
    if (currency && list.currency !== currency)
      throw unprocessable(
        'currency_not_offered',
        `Prices for ${country} are in ${list.currency.toUpperCase()}, not ${currency.toUpperCase()}.`,
        'currency',
      );
    return list;
  }
  if (!currency) return resolvePriceList(catalog, undefined);
  const inCurrency = catalog.price_lists.filter((list) => list.currency === currency);
  const list = inCurrency.find((l) => l.price_point !== 'purchasing_power') ?? inCurrency[0];
  if (!list)
    throw unprocessable('currency_not_offered', `No prices are published in ${currency.toUpperCase()}.`, 'currency');
  return list;
}
