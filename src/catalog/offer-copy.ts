import type { LoadedCatalog } from './load-catalog';
import { createTranslator } from './translator';

export interface OfferCopy {
  locale: string;
  name: string;
  description: string;
  benefits: string[];
  social_proof: string[];
}

/**
 * The words the catalog gives an offer (plan, add-on or bundle) in a locale, English where
 * the locale lacks a line: for the offers engine to compose prompts from.
 */
export function offerCopy(
  loaded: LoadedCatalog,
  kind: 'plan' | 'add_on' | 'bundle',
  code: string,
  locale?: string,
): OfferCopy | undefined {
  const { catalog } = loaded;
  const item =
    kind === 'plan'
      ? catalog.plans.find((p) => p.code === code)
      : kind === 'add_on'
        ? catalog.add_ons.find((a) => a.code === code)
        : catalog.bundles.find((b) => b.code === code);
  if (!item) return undefined;
  const tr = createTranslator(loaded.messages, locale);
  const section = kind === 'plan' ? 'plans' : kind === 'add_on' ? 'add_ons' : 'bundles';
  return {
    locale: tr.locale,
    name: tr.t(`${section}.${code}.name`),
    description: tr.t(`${section}.${code}.${kind === 'plan' ? 'tagline' : 'description'}`),
    benefits: item.benefits.map((key) => tr.t(`${section}.${code}.benefits.${key}`)),
    social_proof: item.social_proof.map((key) => tr.t(`social_proof.${key}`)),
  };
}
