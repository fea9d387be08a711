import type { GuaranteeConditions } from './promised-guarantee';

/** A translator's lookup: the catalog's words (`guarantee_terms.*`) in the reader's locale. */
type Words = (key: string, vars?: Readonly<Record<string, string | number>>) => string;

/**
 * Pure: a promised guarantee's conditions in plain words, one sentence each, the window first.
 * Only conditions that apply are said; none at all when nothing is promised.
 */
export function conditionWords(conditions: GuaranteeConditions | null, t: Words): string[] {
  if (!conditions) return [];
  const days = conditions.window_days;
  return [
    t(conditions.refund === 'unused_part' ? 'guarantee_terms.window_unused_part' : 'guarantee_terms.window', { days }),
    ...(conditions.max_usage_percent !== null
      ? [t('guarantee_terms.max_usage_percent', { percent: conditions.max_usage_percent })]
      : []),
    ...(conditions.not_started ? [t('guarantee_terms.not_started')] : []),
    ...(conditions.once_per_product ? [t('guarantee_terms.once_per_product')] : []),
    ...(conditions.covers_renewals === false ? [t('guarantee_terms.renewals_not_covered')] : []),
    ...(conditions.max_claims_per_year !== null
      ? [t('guarantee_terms.max_claims_per_year', { count: conditions.max_claims_per_year })]
      : []),
  ];
}
