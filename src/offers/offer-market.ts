import type { OfferSettings, ToneProfile } from './offer-rules.types';

/** The regions (as configured in the rules file) a country belongs to. */
export function regionsOf(settings: Pick<OfferSettings, 'regions'>, country: string): string[] {
  const wanted = country.toUpperCase();
  return Object.entries(settings.regions)
    .filter(([, countries]) => countries.includes(wanted))
    .map(([region]) => region);
}

/** The tone profile of a market: by country, else by region, else the default. */
export function toneProfileFor(settings: OfferSettings, country: string): { name: string; profile: ToneProfile } {
  const byCountry = settings.markets.by_country[country.toUpperCase()];
  const byRegion = regionsOf(settings, country)
    .map((region) => settings.markets.by_region[region])
    .find((name) => name !== undefined);
  const name = byCountry ?? byRegion ?? settings.markets.default;
  const profile = settings.tone_profiles[name] ?? settings.tone_profiles[settings.markets.default];
  // validateOfferRules guarantees the default profile exists.
  if (!profile) throw new Error(`tone profile "${name}" is not configured`);
  return { name, profile };
}
