import type { CatalogProblem } from './catalog-problem';
import { FALLBACK_LOCALE, type MessagesByLocale } from './catalog-messages';
import type { Catalog } from './catalog.types';
import { messageSyntaxProblem } from './message-format';

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
  const missing = requiredMessageKeys(catalog)
    .filter((key) => english[key] === undefined)
    .map((key) => ({ path: `locales/${FALLBACK_LOCALE}:${key}`, message: 'missing message' }));
  return [...missing, ...syntaxProblems(messages)];
}

/** Every message must be valid ICU MessageFormat (an unescaped `{` or a broken plural is refused at load). */
function syntaxProblems(messages: MessagesByLocale): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  for (const [locale, own] of Object.entries(messages)) {
    for (const [key, text] of Object.entries(own)) {
      const problem = messageSyntaxProblem(text);
      if (problem) problems.push({ path: `locales/${locale}:${key}`, message: `not an ICU message: ${problem}` });
    }
  }
  return problems;
}
