import { findAddOn, findBundle, findPlan } from '../catalog/catalog-lookup';
import type { Catalog } from '../catalog/catalog.types';
import type { Translator } from '../catalog/translator';
import type { MessageValues } from '../catalog/message-format';
import { conditionWords } from '../guarantees/guarantee-condition-words';
import { formatMessage } from '../catalog/message-format';
import type { CopyField, LocaleCopy, RuleCopyOverrides } from './offer-copy-overrides';
import type { OfferSettings } from './offer-rules.types';
import type { DecidedOffer, OfferAccount, OfferTarget } from './offers.types';
import type { PromptLocale } from './prompt-locale';
import { featureFacts } from './prompt-feature-facts';
import { promptTerms } from './prompt-terms';
import type { PromptView } from './prompt.view';

export interface RenderContext {
  account: OfferAccount;
  currentPlan: string;
  catalog: Catalog;
  /** The account's locale: catalog words, offer copy and formats (see PromptLocales). */
  locale: PromptLocale;
  settings: OfferSettings;
  /** The operator's copy for a rule, by copy locale (offer_rules.copy_overrides); the catalog's copy otherwise. */
  copyOverrides?: (ruleId: string) => RuleCopyOverrides;
  /** Plans whose free trial this account already had (one per plan, ever; issue #20). */
  trialsUsed?: readonly string[];
}

const SECTION = { plan: 'plans', addon: 'add_ons', bundle: 'bundles' } as const;
const NONE: readonly string[] = [];
/** Words that depend only on the locale, the catalog and the target, kept per locale: most first views repeat them. */
const MAX_KEPT = 2_000;
const keptWords = new WeakMap<PromptLocale, WeakMap<Catalog, Map<string, unknown>>>();

function keptFor(locale: PromptLocale, catalog: Catalog) {
  let byCatalog = keptWords.get(locale);
  if (!byCatalog) keptWords.set(locale, (byCatalog = new WeakMap()));
  let kept = byCatalog.get(catalog);
  if (!kept) byCatalog.set(catalog, (kept = new Map()));
  const answers = kept;
  return <T>(key: string, make: () => T): T => {
    let answer = answers.get(key) as T | undefined;
    if (answer === undefined) {
      if (answers.size >= MAX_KEPT) answers.clear();
      answer = make();
      answers.set(key, answer);
    }
    return answer;
  };
}

/** Words for one decided offer in the account's language, manner, currency and price list. Pure. */
export function renderPrompt(offer: DecidedOffer, ctx: RenderContext): PromptView {
  const { words, copy, date } = ctx.locale;
  const { target, reason } = offer;
  const profile = ctx.settings.tone_profiles[offer.toneProfile];
  const variant = profile?.copy_variant ?? 'direct';
  const terms = promptTerms(target, words, copy, ctx.locale.money);
  const kept = keptFor(ctx.locale, ctx.catalog);
  const item = `${target.type}:${target.code}`;
  const preferred = ctx.settings.defaults.feature_benefits[reason.feature ?? ''] ?? NONE;
  const benefits = [
    ...kept(`benefits|${item}|${preferred.join(',')}`, () => benefitLines(target, ctx.catalog, words, preferred)),
  ];
  const featureName = reason.feature ? words.t(`features.${reason.feature}`) : '';
  const percent = reason.percent !== undefined ? Math.round(reason.percent) : undefined;
  const vars = {
    target: nameOf(target, words),
    feature: featureName,
    percent: percent ?? 0,
    price: terms.price.words,
    saving: terms.savings?.formatted ?? '',
    days: reason.days ?? 0,
    benefit: benefits[0] ?? '',
    plan: words.t(`plans.${ctx.currentPlan}.name`),
    date: offer.endsAt ? date(offer.endsAt) : '',
    ...kept(`facts|${reason.feature}|${ctx.currentPlan}|${item}`, () =>
      featureFacts(reason.feature, ctx.currentPlan, target, ctx.catalog, words),
    ),
  };
  const own = ctx.copyOverrides?.(offer.rule.id)[copy.locale];
  const line = (field: CopyField) => promptLine(copy, own, `offers.${offer.copyKey}.${variant}`, field, vars);
  const details = [
    // NOTE: a projected date only while the limit is still ahead; at 100% it would read as a threat.
    ...(reason.projectedLimitAt && (reason.percent ?? 0) < 100
      ? [copy.t('common.limit_date', { date: date(reason.projectedLimitAt) })]
      : []),
    ...(terms.savings ? [terms.savings.words] : []),
  ];
  // NOTE: two sentences joined by a message of their own, so each language orders and spaces them.
  const reasonText =
    offer.rule.offer.type === 'recommended_add_on'
      ? copy.t('reason.with_recommendation', {
          reason: copy.t(`reason.${reason.trigger}`, vars),
          recommended: copy.t('reason.recommended'),
        })
      : copy.t(`reason.${reason.trigger}`, vars);
  const basis = priceBasis(target, ctx, copy);
  // NOTE: a trial's first charge is Stripe's first cycle invoice, which the guarantee treats as a
  // renewal (not covered): a prompt that starts a trial promises no money-back guarantee.
  const guaranteeDays = basis.price_basis === 'after_trial' ? null : offer.guaranteeDays;
  return {
    id: offer.promptId,
    kind: offer.kind,
    placement: offer.placement,
    offer: {
      type: target.type,
      code: target.code,
      name: vars.target,
      interval: target.interval,
      quantity: target.type === 'addon' ? target.quantity : 1,
      price: terms.price,
      ...basis,
      savings: terms.savings,
      discount: terms.discount,
      renewal_terms: terms.renewal,
      guarantee_days: guaranteeDays,
      guarantee_conditions: guaranteeDays ? (offer.guaranteeConditions ?? null) : null,
    },
    copy: {
      title: line('title'),
      body: line('body'),
      cta: offer.canPurchase ? line('cta') : copy.t('common.ask_admin'),
      decline: copy.t('common.decline'),
      snooze: copy.t('common.snooze'),
      never: copy.t('common.never'),
      locale: copy.locale,
      benefits,
      details,
      social_proof:
        profile?.social_proof === false
          ? []
          : [...kept(`proof|${item}`, () => socialProof(target, ctx.catalog, words))],
      guarantee: guaranteeDays ? copy.t('common.guarantee', { days: guaranteeDays }) : null,
      // NOTE: the catalog's words, as the quote says them: the prompt promises exactly what the quote will.
      guarantee_terms: offer.guaranteeDays ? conditionWords(offer.guaranteeConditions ?? null, words.t) : [],
      ends: offer.endsAt ? copy.t('common.ends_at', { date: date(offer.endsAt) }) : null,
      compare: copy.t('common.compare'),
      ask_admin_note: offer.canPurchase ? null : copy.t('common.ask_admin_note'),
    },
    reason: {
      trigger: reason.trigger,
      ...(reason.feature ? { feature: reason.feature } : {}),
      ...(reason.percent !== undefined ? { percent: reason.percent } : {}),
      ...(reason.threshold !== undefined ? { threshold: reason.threshold } : {}),
      ...(reason.projectedLimitAt !== undefined
        ? { projected_limit_at: reason.projectedLimitAt?.toISOString() ?? null }
        : {}),
      text: reasonText,
    },
    actions: [
      offer.canPurchase
        ? { type: 'purchase', label: line('cta'), quote: quoteOf(target) }
        : { type: 'ask_admin', label: copy.t('common.ask_admin') },
      { type: 'dismiss', label: copy.t('common.decline') },
      { type: 'snooze', label: copy.t('common.snooze') },
      { type: 'never', label: copy.t('common.never') },
    ],
    comparison_url: ctx.settings.defaults.comparison_url,
    ends_at: offer.endsAt?.toISOString() ?? null,
    tone: offer.toneProfile,
    ...(offer.experiment ? { experiment: offer.experiment } : {}),
  };
}

/** One line of the prompt: the operator's copy for the locale when there is one, else the catalog's (`<base>.<field>`). */
export function promptLine(
  copy: Translator,
  own: LocaleCopy | undefined,
  base: string,
  field: CopyField,
  vars: MessageValues,
): string {
  const written = own?.[field];
  return written !== undefined ? formatMessage(written, copy.formatLocale, vars) : copy.t(`${base}.${field}`, vars);
}

function nameOf(target: OfferTarget, words: Translator): string {
  return words.t(`${SECTION[target.type]}.${target.code}.name`);
}

function catalogItem(target: OfferTarget, catalog: Catalog) {
  if (target.type === 'plan') return findPlan(catalog, target.code);
  if (target.type === 'addon') return findAddOn(catalog, target.code);
  return findBundle(catalog, target.code);
}

/** The target's benefit lines, the one about the prompt's feature first: what the customer gains leads. */
function benefitLines(
  target: OfferTarget,
  catalog: Catalog,
  words: Translator,
  preferred: readonly string[],
): string[] {
  const keys = [...(catalogItem(target, catalog)?.benefits ?? [])];
  const lead = keys.findIndex((key) => preferred.includes(key));
  if (lead > 0) keys.unshift(...keys.splice(lead, 1));
  return keys.map((key) => words.t(`${SECTION[target.type]}.${target.code}.benefits.${key}`));
}

function socialProof(target: OfferTarget, catalog: Catalog, words: Translator): string[] {
  return (catalogItem(target, catalog)?.social_proof ?? []).map((key) => words.t(`social_proof.${key}`));
}

/**
 * Whether the price shown is what this account pays now. A paid plan's change is prorated by
 * Stripe (credit for unused time), so the prompt shows the list price, labelled, and the quote
 * the amount due; from the free plan, or for a one-time item, the price is the amount due —
 * unless the plan's free trial starts first (the quote then says 0 today and this price at the
 * trial's end, issue #20), which the prompt says too.
 */
function priceBasis(
  target: OfferTarget,
  ctx: Pick<RenderContext, 'currentPlan' | 'catalog' | 'trialsUsed'>,
  copy: Translator,
): Pick<PromptView['offer'], 'price_basis' | 'price_note'> {
  if (ctx.currentPlan === 'free' && target.type === 'plan') {
    const trialDays = findPlan(ctx.catalog, target.code)?.trial_days ?? 0;
    if (trialDays > 0 && !(ctx.trialsUsed ?? []).includes(target.code))
      return { price_basis: 'after_trial', price_note: copy.t('common.price_note_trial', { days: trialDays }) };
  }
  const dueNow = ctx.currentPlan === 'free' || (target.type === 'addon' && target.interval === 'one_time');
  return dueNow
    ? { price_basis: 'due_now', price_note: null }
    : { price_basis: 'list', price_note: copy.t('common.price_note_list') };
}

/** What to send to `POST /v1/quotes` to buy this offer. */
function quoteOf(target: OfferTarget): Record<string, unknown> {
  if (target.type === 'plan') return { plan: target.code, interval: target.interval };
  if (target.type === 'bundle') return { bundle: target.code };
  return { add_ons: [{ code: target.code, quantity: target.quantity }] };
}
