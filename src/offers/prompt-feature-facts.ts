import { findBundle, findPlan } from '../catalog/catalog-lookup';
import type { Catalog, Plan } from '../catalog/catalog.types';
import { isPlanItem } from '../catalog/catalog.types';
import { featureValue, type FeatureValue } from '../catalog/feature-value-words';
import type { Translator } from '../catalog/translator';
import type { OfferTarget } from './offers.types';

/**
 * What the copy may truthfully say about the prompt's feature, as ICU select and text values:
 * - `gate`: `limited` when the current plan has the feature with a limit (asked for more), else `missing`;
 * - `room`: `limit` when the target's own limit for the feature can be named (`target_limit`), `unlimited`
 *   when the target has none (never "includes Unlimited"), else `benefit`;
 * - `current_limit`, `target_limit`: the limits in words ("1,000 API calls per month", "Unlimited").
 */
export interface FeatureFacts {
  feature_code: string;
  gate: 'limited' | 'missing';
  room: 'limit' | 'unlimited' | 'benefit';
  current_limit: string;
  target_limit: string;
}

export function featureFacts(
  featureCode: string | undefined,
  currentPlan: string,
  target: OfferTarget,
  catalog: Catalog,
  words: Translator,
): FeatureFacts {
  const none: FeatureFacts = {
    feature_code: featureCode ?? 'none',
    gate: 'missing',
    room: 'benefit',
    current_limit: '',
    target_limit: '',
  };
  const feature = catalog.features.find((f) => f.code === featureCode);
  if (!feature) return none;
  const wordsOn = (plan: Plan | undefined) =>
    plan ? featureValue(feature, plan.limits[feature.code], plan.includes.includes(feature.code), words) : undefined;
  const current = wordsOn(findPlan(catalog, currentPlan));
  const targetWords = wordsOn(targetPlan(target, catalog));
  const has = (value: ReturnType<typeof wordsOn>) =>
    value !== undefined && (value.type === 'boolean' ? value.included : value.limit === 'unlimited' || value.limit > 0);
  return {
    feature_code: feature.code,
    gate: feature.type === 'metered' && has(current) ? 'limited' : 'missing',
    room: roomOf(feature.type, targetWords),
    current_limit: current?.words ?? '',
    target_limit: targetWords?.words ?? '',
  };
}

/** The plan an offer moves the account to: the plan itself, or a bundle's plan. */
function targetPlan(target: OfferTarget, catalog: Catalog): Plan | undefined {
  if (target.type === 'plan') return findPlan(catalog, target.code);
  if (target.type !== 'bundle') return undefined;
  const item = findBundle(catalog, target.code)?.items.find(isPlanItem);
  return item ? findPlan(catalog, item.plan) : undefined;
}

function roomOf(type: 'metered' | 'boolean', target: FeatureValue | undefined): FeatureFacts['room'] {
  if (type !== 'metered' || target?.type !== 'metered') return 'benefit';
  if (target.limit === 'unlimited') return 'unlimited';
  return target.limit > 0 ? 'limit' : 'benefit';
}
