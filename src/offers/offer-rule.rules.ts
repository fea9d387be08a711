import type { Catalog } from '../catalog/catalog.types';
import { findAddOn, findBundle, findPlan } from '../catalog/catalog-lookup';
import type { OfferRule, OfferSettings, RuleProblem } from './offer-rules.types';

/** Cross-references of one rule against the catalog and the market settings; each problem with its path. */
export function ruleProblems(
  rule: OfferRule,
  at: string,
  catalog: Catalog,
  settings: Pick<OfferSettings, 'regions'>,
  copyKeys?: ReadonlySet<string>,
): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path: `${at}${path}`, message });
  const feature = (code: string | undefined, path: string, metered: boolean) => {
    if (code === undefined) return;
    const found = catalog.features.find((f) => f.code === code);
    if (!found) add(path, `unknown feature "${code}"`);
    else if (metered && found.type !== 'metered') add(path, `feature "${code}" is not metered`);
  };
  const trigger = rule.trigger;
  if (trigger.type === 'usage_threshold') feature(trigger.feature, '.trigger.feature', true);
  if (trigger.type === 'feature_gate') feature(trigger.feature, '.trigger.feature', false);
  if (trigger.type === 'seasonal' && new Date(trigger.ends_at) <= new Date(trigger.starts_at))
    add('.trigger.ends_at', 'must be after starts_at');
  if (trigger.type === 'days_after_purchase') {
    const { plan, add_on } = trigger.purchase;
    if ((plan === undefined) === (add_on === undefined)) add('.trigger.purchase', 'name either a plan or an add_on');
    if (plan !== undefined && !findPlan(catalog, plan)) add('.trigger.purchase.plan', `unknown plan "${plan}"`);
    if (add_on !== undefined && !findAddOn(catalog, add_on))
      add('.trigger.purchase.add_on', `unknown add-on "${add_on}"`);
  }
  if (trigger.type === 'feature_gate' && !rule.placements.includes('feature_gate'))
    add('.placements', 'a feature_gate trigger needs the feature_gate placement');

  const offer = rule.offer;
  if (offer.type === 'plan' && !findPlan(catalog, offer.plan)) add('.offer.plan', `unknown plan "${offer.plan}"`);
  const plan = offer.type === 'plan' ? findPlan(catalog, offer.plan) : undefined;
  if (offer.type === 'plan' && plan && plan.prices === undefined)
    add('.offer.plan', `plan "${offer.plan}" has no price: nothing to sell`);
  if (offer.type === 'add_on' && !findAddOn(catalog, offer.add_on))
    add('.offer.add_on', `unknown add-on "${offer.add_on}"`);
  if (offer.type === 'bundle' && !findBundle(catalog, offer.bundle))
    add('.offer.bundle', `unknown bundle "${offer.bundle}"`);
  if (['smallest_plan_that_fits', 'plan', 'annual_switch'].includes(offer.type) && rule.kind !== 'upsell')
    add('.kind', 'a plan offer is an upsell');
  if (offer.type === 'bundle' && rule.kind !== 'bundle') add('.kind', 'a bundle offer has kind bundle');

  (rule.audience.plans ?? []).forEach((plan, i) => {
    if (!findPlan(catalog, plan)) add(`.audience.plans[${i}]`, `unknown plan "${plan}"`);
  });
  (rule.audience.regions ?? []).forEach((region, i) => {
    if (!settings.regions[region]) add(`.audience.regions[${i}]`, `unknown region "${region}" (see regions)`);
  });
  if (copyKeys && !copyKeys.has(`offers.${rule.copy}.direct.title`))
    add('.copy', `no copy "offers.${rule.copy}" in offers/copy/en.yaml`);
  return problems;
}

/** The market settings: every referenced tone profile and region exists. */
export function settingsProblems(settings: OfferSettings): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const profile = (name: string, path: string) => {
    if (!settings.tone_profiles[name]) problems.push({ path, message: `unknown tone profile "${name}"` });
  };
  profile(settings.markets.default, 'markets.default');
  for (const [region, name] of Object.entries(settings.markets.by_region)) {
    profile(name, `markets.by_region.${region}`);
    if (!settings.regions[region])
      problems.push({ path: `markets.by_region.${region}`, message: `unknown region "${region}"` });
  }
  for (const [country, name] of Object.entries(settings.markets.by_country))
    profile(name, `markets.by_country.${country}`);
  return problems;
}
