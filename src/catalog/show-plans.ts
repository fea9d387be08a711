import { catalogItemGuarantee } from '../guarantees/catalog-item-guarantee';
import { guaranteePoliciesOf } from '../guarantees/guarantee-policies';
import { nextTier } from './catalog-lookup';
import type { CatalogViewer } from './catalog-viewer.reader';
import type { Interval } from './catalog.types';
import { buildComparisonTable, type ComparisonTable } from './comparison-table';
import type { LoadedCatalog } from './load-catalog';
import { resolvePriceList } from './price-lists';

export interface ShowPlansInput {
  loaded: LoadedCatalog;
  viewer: CatalogViewer;
  /** Previews: override the account's interval, locale or country. */
  interval?: Interval;
  locale?: string;
  country?: string;
}

/**
 * The comparison table an account sees: its country's price list and currency, its
 * locale, its current plan flagged, the next tier up recommended, and on each column the
 * guarantee a quote for it would announce to this account (none where the rules would refuse it).
 */
export function showPlans(input: ShowPlansInput): ComparisonTable & { country: string } {
  const { loaded, viewer } = input;
  const country = input.country ?? viewer.country;
  const currentPlan = viewer.planCode ?? loaded.catalog.plans[0]?.code;
  const table = buildComparisonTable({
    catalog: loaded.catalog,
    messages: loaded.messages,
    priceList: resolvePriceList(loaded.catalog, country),
    locale: input.locale ?? viewer.locale,
    interval: input.interval ?? viewer.interval ?? 'month',
    currentPlan,
    recommendedPlan: nextTier(loaded.catalog, currentPlan)?.code,
    guarantee: catalogItemGuarantee(
      guaranteePoliciesOf(loaded.catalog),
      loaded.catalog,
      { country, planCode: viewer.planCode, priorClaims: viewer.refundClaims },
      viewer.at,
    ),
  });
  return { ...table, country };
}
