import type { CatalogProblem } from './catalog-problem';
import { FALLBACK_LOCALE, type MessagesByLocale } from './catalog-messages';
import type { Catalog } from './catalog.types';

/** Every key the catalog names in words must exist in English (the fallback of every locale). */
export function requiredMessageKeys(catalog: Catalog): string[] {
  const keys: string[] = [];
  for (const feature of catalog.features) {
    keys.push(`features.${feature.code}`);
    if (feature.type === 'metered') keys.push(`units.${feature.unit}.one`, `units.${feature.unit}.other`);
  }
  const named = (
    section: string,
    items: ReadonlyArray<{ code: string; benefits: string[]; social_proof: string[] }>,
    extra: string,
  ) => {
    for (const item of items) {
      keys.push(`${section}.${item.code}.name`, `${section}.${item.code}.${extra}`);
      for (const benefit of item.benefits) keys.push(`${section}.${item.code}.benefits.${benefit}`);
      for (const line of item.social_proof) keys.push(`social_proof.${line}`);
    }
  };
  named('plans', catalog.plans, 'tagline');
  named('add_ons', catalog.add_ons, 'description');
  named('bundles', catalog.bundles, 'description');
  return [...new Set(keys)];
}

export function messageProblems(catalog: Catalog, messages: MessagesByLocale): CatalogProblem[] {
  const english = messages[FALLBACK_LOCALE];
  if (!english)
    return [
      {
        path: `locales/${FALLBACK_LOCALE}`,
        message: 'the English messages are missing (every locale falls back to them)',
      },
    ];
  return requiredMessageKeys(catalog)
    .filter((key) => english[key] === undefined)
    .map((key) => ({ path: `locales/${FALLBACK_LOCALE}:${key}`, message: 'missing message' }));
}
