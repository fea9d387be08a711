import { EEA_COUNTRIES } from '../shared/countries';
import type { GuaranteeKind, GuaranteePolicies } from './guarantee.types';

const DAY_MS = 86_400_000;

/** Pure: the window in days for a kind of purchase in a country (the policy's, raised by regional minimums). */
export function windowDays(
  policies: GuaranteePolicies | undefined,
  kind: GuaranteeKind,
  country?: string,
): number | null {
  const policy = policies?.[kind];
  if (!policy) return null;
  const minimums = (policies?.regions ?? [])
    .filter((region) => country !== undefined && inRegion(region.countries, country))
    .map((region) => region.minimum_window_days);
  return Math.max(policy.window_days, ...minimums);
}

function inRegion(countries: 'eea' | string[], country: string): boolean {
  return countries === 'eea' ? EEA_COUNTRIES.has(country.toUpperCase()) : countries.includes(country.toUpperCase());
}

/** Pure: the last instant a claim is accepted (inclusive). */
export function deadlineOf(paidAt: Date, days: number): Date {
  return new Date(paidAt.getTime() + days * DAY_MS);
}
