import type { OfferRule } from '../../src/offers/offer-rules.types';

/**
 * `count` rules for a benchmark set-up: the seeded rules first, then variants of them aimed at
 * narrower audiences (niche industries, single countries, other placements), as a large
 * operator rule set would look: most rules are judged on every request, few apply.
 */
export function benchRules(seeded: readonly OfferRule[], count: number): OfferRule[] {
  const rules: OfferRule[] = seeded.slice(0, count).map((rule) => structuredClone(rule));
  for (let k = rules.length; k < count; k += 1) {
    const base = structuredClone(seeded[k % seeded.length] as OfferRule);
    const audience = { ...base.audience };
    if (k % 4 === 0) audience.countries = [['US', 'DE', 'JP', 'RU', 'UZ', 'BR'][k % 6] as string];
    else audience.industries = [`niche_${k % 50}`];
    rules.push({ ...base, id: `${base.id}_v${k}`, audience, priority: k % 100 });
  }
  return rules;
}
