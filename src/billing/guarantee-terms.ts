import type { Catalog } from '../catalog/catalog.types';
import { EEA_COUNTRIES } from '../shared/countries';

export type PurchaseKind = 'plan_upgrade' | 'recurring_add_on' | 'one_time';

interface PolicyShape {
  window_days?: unknown;
  days?: unknown;
}

interface RegionShape {
  countries?: unknown;
  minimum_window_days?: unknown;
}

/**
 * Pure: the money-back guarantee a purchase would carry, read from the catalog's
 * `guarantees` section (owned by the guarantees module): `<kind>.window_days`, raised to a
 * regional minimum (`regions[].minimum_window_days`) for the account's country.
 * No policy, no promise: `{ eligible: false, days: null }`. The guarantees module decides
 * eligibility at claim time; this is what the quote may announce.
 */
export function guaranteeFor(
  catalog: Catalog,
  kind: PurchaseKind,
  country: string,
): { eligible: boolean; days: number | null } {
  const section = catalog.guarantees as unknown as Record<string, unknown> | undefined;
  const policy = section?.[kind] as PolicyShape | undefined;
  const days = policy?.window_days ?? policy?.days;
  if (typeof days !== 'number' || !Number.isInteger(days) || days <= 0) return { eligible: false, days: null };
  const regions = Array.isArray(section?.regions) ? (section.regions as RegionShape[]) : [];
  const minimum = regions
    .filter((region) => coversCountry(region.countries, country.toUpperCase()))
    .map((region) => (typeof region.minimum_window_days === 'number' ? region.minimum_window_days : 0))
    .reduce((max, value) => Math.max(max, value), 0);
  return { eligible: true, days: Math.max(days, minimum) };
}

function coversCountry(countries: unknown, country: string): boolean {
  if (countries === 'eea') return EEA_COUNTRIES.has(country);
  return Array.isArray(countries) && countries.includes(country);
}
