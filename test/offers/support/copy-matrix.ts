import type { Catalog } from '../../../src/catalog/catalog.types';
import type { DecidedOffer, OfferReason, OfferTarget } from '../../../src/offers/offers.types';
import type { PromptView } from '../../../src/offers/prompt.view';
import { NOW, daysLater, rule } from './offer-fixtures';

/** Every trigger a rule may have, with the reason the evaluator would give for one feature. */
export function reasonsFor(catalog: Catalog): OfferReason[] {
  const features = catalog.features.map((f) => f.code);
  return [
    ...features
      .filter((code) => catalog.features.find((f) => f.code === code)?.type === 'metered')
      .flatMap((feature) => [
        { trigger: 'usage_threshold' as const, feature, percent: 90, threshold: 80, projectedLimitAt: daysLater(5) },
        { trigger: 'usage_threshold' as const, feature, percent: 100, threshold: 100, projectedLimitAt: null },
      ]),
    ...features.map((feature) => ({ trigger: 'feature_gate' as const, feature })),
    { trigger: 'days_after_signup', days: 21 },
    { trigger: 'days_after_signup', days: 1 },
    { trigger: 'days_after_purchase', days: 3 },
    { trigger: 'days_before_renewal', days: 14 },
    { trigger: 'days_before_renewal', days: 2 },
    { trigger: 'monthly_to_annual' },
    { trigger: 'seasonal' },
  ];
}

/** The offers a copy key speaks about, priced from the catalog in one currency. */
export function targetsFor(copyKey: string, catalog: Catalog, currency: string): OfferTarget[] {
  if (/^(add_on|post_purchase_training)$/.test(copyKey))
    return catalog.add_ons.map((a) =>
      a.type === 'one_time'
        ? { type: 'addon', code: a.code, quantity: 1, interval: 'one_time', amount: a.price[currency] ?? 0, currency }
        : {
            type: 'addon',
            code: a.code,
            quantity: a.per_unit ? 3 : 1,
            interval: a.prices.month ? 'month' : 'year',
            amount: (a.prices.month ?? a.prices.year ?? {})[currency] ?? 0,
            currency,
          },
    );
  if (/bundle/.test(copyKey))
    return catalog.bundles.map((b) => ({
      type: 'bundle',
      code: b.code,
      interval: b.interval,
      amount: 72920,
      currency,
      regular: 80000,
      discount: 7080,
      renewal: 49000,
      percentOff: b.discount.percent_off,
    }));
  return catalog.plans
    .filter((p) => p.prices)
    .flatMap((p) =>
      (['month', 'year'] as const).map((interval) => ({
        type: 'plan' as const,
        code: p.code,
        interval,
        amount: p.prices?.[interval]?.[currency] ?? 0,
        currency,
        currentAmount: 0,
        annualSaving: interval === 'year' ? 3800 : null,
      })),
    );
}

export function decided(copyKey: string, target: OfferTarget, reason: OfferReason, canPurchase: boolean): DecidedOffer {
  const seasonal = reason.trigger === 'seasonal';
  return {
    promptId: 'prm_matrix',
    periodKey: 'p',
    rule: rule({ id: 'matrix', copy: copyKey }),
    kind: target.type === 'bundle' ? 'bundle' : target.type === 'addon' ? 'cross_sell' : 'upsell',
    placement: reason.trigger === 'feature_gate' ? 'feature_gate' : 'dashboard',
    target,
    reason,
    endsAt: seasonal ? daysLater(20, NOW) : null,
    guaranteeDays: 30,
    guaranteeConditions: {
      window_days: 30,
      refund: 'full_charge',
      max_usage_percent: 80,
      not_started: target.type === 'addon',
      once_per_product: true,
      covers_renewals: false,
      max_claims_per_year: 2,
    } as DecidedOffer['guaranteeConditions'],
    toneProfile: 'direct',
    copyKey,
    expectedValue: 1,
    canPurchase,
    experiment: null,
  };
}

/** Every string a person reads on a prompt, by field. */
export function visibleText(view: PromptView): Record<string, string> {
  const { copy, offer } = view;
  const fields: Record<string, string> = {
    title: copy.title,
    body: copy.body,
    cta: copy.cta,
    decline: copy.decline,
    snooze: copy.snooze,
    never: copy.never,
    compare: copy.compare,
    reason: view.reason.text,
    price: offer.price.words,
    renewal: offer.renewal_terms,
    name: offer.name,
  };
  if (copy.guarantee) fields.guarantee = copy.guarantee;
  if (copy.ends) fields.ends = copy.ends;
  if (copy.ask_admin_note) fields.ask_admin_note = copy.ask_admin_note;
  if (offer.savings) fields.savings = offer.savings.words;
  if (offer.price_note) fields.price_note = offer.price_note;
  copy.details.forEach((line, i) => (fields[`details.${i}`] = line));
  copy.benefits.forEach((line, i) => (fields[`benefits.${i}`] = line));
  copy.social_proof.forEach((line, i) => (fields[`social_proof.${i}`] = line));
  copy.guarantee_terms.forEach((line, i) => (fields[`guarantee_terms.${i}`] = line));
  for (const action of view.actions) fields[`action.${action.type}`] = action.label;
  return fields;
}
