import type { Feature, Limit } from './catalog.types';
import type { Translator } from './translator';

/** One feature's value on one plan, for machines (`limit`, `included`) and people (`words`). */
export type FeatureValue =
  | { type: 'metered'; limit: Limit; words: string }
  | { type: 'boolean'; included: boolean; words: string };

/** "25 projects", "50,000 API calls per month", "Unlimited", "Included", "—" in the translator's locale. */
export function featureValue(
  feature: Feature,
  limit: Limit | undefined,
  included: boolean,
  tr: Translator,
): FeatureValue {
  if (feature.type === 'boolean') {
    return { type: 'boolean', included, words: tr.t(included ? 'words.included' : 'words.not_included') };
  }
  const value = limit ?? 0;
  if (value === 'unlimited') return { type: 'metered', limit: value, words: tr.t('words.unlimited') };
  const amount = tr.t('limit.amount', { value: tr.number(value), unit: tr.unit(feature.unit, value) });
  const words =
    feature.kind === 'counter' && feature.period === 'month' ? tr.t('limit.per_month', { value: amount }) : amount;
  return { type: 'metered', limit: value, words };
}
