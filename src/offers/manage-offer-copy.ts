import { notFound, unprocessable } from '../shared/errors';
import { assertCopyValid, type COPY_FIELDS, type LocaleCopy } from './offer-copy-overrides';
import type { OfferRule } from './offer-rules.types';
import type { OffersService } from './offers.service';
import { promptLine } from './render-prompt';

export interface CopyPreview {
  object: 'offer_copy_preview';
  rule: string;
  locale: string;
  copy: Record<(typeof COPY_FIELDS)[number], string>;
}

async function ruleOf(offers: OffersService, id: string): Promise<OfferRule> {
  const rule = (await offers.rules.current()).rules.find((r) => r.id === id);
  if (!rule) throw notFound('Offer rule', 'id');
  return rule;
}

function knownLocale(offers: OffersService, locale: string): void {
  if (!offers.copyLocales.includes(locale))
    throw unprocessable(
      'offer_copy_locale',
      `No offer copy for locale "${locale}" (${offers.copyLocales.join(', ')}).`,
      'locale',
    );
}

/** Saves one locale's copy of a rule after checking every message; every instance sees it at its next version check. */
export async function putRuleCopy(offers: OffersService, id: string, locale: string, copy: LocaleCopy) {
  await ruleOf(offers, id);
  knownLocale(offers, locale);
  assertCopyValid(copy);
  if (!(await offers.rulesRepository.putLocaleCopy(id, locale, copy))) throw notFound('Offer rule', 'id');
  await offers.rules.reload();
  return ruleCopyView(offers, id);
}

/** Removes one locale's copy: the catalog's copy speaks again. */
export async function resetRuleCopy(offers: OffersService, id: string, locale: string) {
  await ruleOf(offers, id);
  knownLocale(offers, locale);
  await offers.rulesRepository.putLocaleCopy(id, locale, null);
  await offers.rules.reload();
  return ruleCopyView(offers, id);
}

export function ruleCopyView(offers: OffersService, id: string) {
  return { object: 'offer_copy', rule: id, overrides: offers.rules.copyOverrides(id) };
}

/**
 * The prompt's title, body and cta as the renderer words them (draft copy over saved copy over the
 * catalog's), filled with sample values from the rule's target. Saves nothing.
 */
export async function previewRuleCopy(
  offers: OffersService,
  id: string,
  locale: string,
  draft: LocaleCopy = {},
): Promise<CopyPreview> {
  const rule = await ruleOf(offers, id);
  knownLocale(offers, locale);
  assertCopyValid(draft);
  const settings = await offers.rules.current();
  const { copy, words, money } = offers.promptLocale(locale);
  const saved = offers.rules.copyOverrides(id)[copy.locale] ?? {};
  const variant = Object.values(settings.tone_profiles)[0]?.copy_variant ?? 'direct';
  const target = sampleTarget(rule, offers);
  const vars = {
    target: words.t(target),
    feature: words.t('features.api_calls'),
    percent: 85,
    price: money(2900, 'usd').formatted,
    saving: money(5800, 'usd').formatted,
    days: 14,
    benefit: '',
    plan: words.t('plans.free.name'),
    date: '',
    feature_code: 'api_calls',
    gate: 'limited',
    room: 'unlimited',
    current_limit: '',
    target_limit: '',
  };
  const line = (field: (typeof COPY_FIELDS)[number]) =>
    promptLine(copy, { ...saved, ...draft }, `offers.${rule.copy}.${variant}`, field, vars);
  return {
    object: 'offer_copy_preview',
    rule: id,
    locale: copy.locale,
    copy: { title: line('title'), body: line('body'), cta: line('cta') },
  };
}

/** The catalog words key naming what the rule offers (the first paid plan when the rule picks one itself). */
function sampleTarget(rule: OfferRule, offers: OffersService): string {
  const offer = rule.offer;
  if (offer.type === 'plan') return `plans.${offer.plan}.name`;
  if (offer.type === 'add_on') return `add_ons.${offer.add_on}.name`;
  if (offer.type === 'bundle') return `bundles.${offer.bundle}.name`;
  const plan = offers.catalog.plans.find((p) => p.code !== 'free') ?? offers.catalog.plans[0];
  return `plans.${plan?.code ?? 'free'}.name`;
}
