import { conditionWords } from '../guarantees/guarantee-condition-words';
import type { CatalogItemRef } from '../guarantees/catalog-item-guarantee';
import type { GuaranteeConditions } from '../guarantees/promised-guarantee';
import type { MessagesByLocale } from './catalog-messages';
import type { Catalog, Interval, Plan, PriceList } from './catalog.types';
import { displayMoney, formattingLocale, type DisplayMoney } from './display-money';
import { featureValue, type FeatureValue } from './feature-value-words';
import { annualSaving, intervalAmount } from './price-lists';
import { offeredAddOns, offeredBundles, type AddOnColumn, type BundleColumn } from './comparison-offers';
import { createTranslator, type Translator } from './translator';

export interface ComparisonInput {
  catalog: Catalog;
  messages: MessagesByLocale;
  priceList: PriceList;
  /** Any BCP 47 tag; unknown languages fall back to English. */
  locale?: string;
  interval: Interval;
  currentPlan?: string;
  recommendedPlan?: string;
  /**
   * What buying an item would be guaranteed for the account looking (the guarantees module's
   * promise). Absent: no column shows a guarantee.
   */
  guarantee?: (item: CatalogItemRef) => { days: number | null; conditions: GuaranteeConditions | null };
}

/** A column's money-back guarantee: only where the rules would grant it to this account. */
export interface ColumnGuarantee {
  days: number;
  conditions: GuaranteeConditions;
  /** e.g. "30-day money-back guarantee". */
  words: string;
  /** The conditions in plain words, the window first. */
  terms: string[];
}

export interface PlanColumn {
  code: string;
  name: string;
  tagline: string;
  tier: number;
  current: boolean;
  recommended: boolean;
  trial_days: number;
  /** The price for the chosen interval, with words such as "$19.00/month". */
  price: DisplayMoney & { interval: Interval; words: string };
  /** 12 × monthly − annual, and "Save $38.00 a year"; null for the free plan. */
  annual_saving: (DisplayMoney & { words: string }) | null;
  /** On annual prices: what it comes to per month. */
  monthly_equivalent: (DisplayMoney & { words: string }) | null;
  features: Array<{ code: string; name: string } & FeatureValue>;
  benefits: string[];
  social_proof: string[];
  guarantee: ColumnGuarantee | null;
}

export interface ComparisonTable {
  locale: string;
  currency: string;
  interval: Interval;
  price_list: { code: string; price_point: PriceList['price_point'] };
  features: Array<{ code: string; name: string; type: 'metered' | 'boolean' }>;
  plans: PlanColumn[];
  add_ons: AddOnColumn[];
  bundles: BundleColumn[];
}

/** The plan comparison table: prices of the account's price list in words of its locale. Pure. */
export function buildComparisonTable(input: ComparisonInput): ComparisonTable {
  const language = createTranslator(input.messages, input.locale).locale;
  const formatLocale = formattingLocale(input.locale, language);
  const tr = createTranslator(input.messages, input.locale, formatLocale);
  const ctx = {
    ...input,
    tr,
    formatLocale,
    currency: input.priceList.currency,
  };
  return {
    locale: tr.locale,
    currency: ctx.currency,
    interval: input.interval,
    price_list: { code: input.priceList.code, price_point: input.priceList.price_point },
    features: input.catalog.features.map((f) => ({ code: f.code, name: tr.t(`features.${f.code}`), type: f.type })),
    plans: input.catalog.plans.map((plan, tier) => planColumn(plan, tier, ctx)),
    add_ons: offeredAddOns(ctx),
    bundles: offeredBundles(ctx),
  };
}

export interface TableContext extends ComparisonInput {
  tr: Translator;
  formatLocale: string;
  currency: string;
}

/** The guarantee a column shows, in the table's words; null where none would be granted. */
export function columnGuarantee(ctx: TableContext, item: CatalogItemRef): ColumnGuarantee | null {
  const promised = ctx.guarantee?.(item);
  if (!promised?.days || !promised.conditions) return null;
  return {
    days: promised.days,
    conditions: promised.conditions,
    words: ctx.tr.t('phrases.guarantee', { days: promised.days }),
    terms: conditionWords(promised.conditions, ctx.tr.t),
  };
}

function planColumn(plan: Plan, tier: number, ctx: TableContext): PlanColumn {
  const { tr, currency, formatLocale, interval } = ctx;
  const money = (amount: number) => displayMoney(amount, currency, formatLocale);
  const amount = intervalAmount(plan.prices, interval, currency) ?? 0;
  const price = money(amount);
  const saving = plan.prices ? annualSaving(plan.prices, currency) : undefined;
  const perMonth = interval === 'year' && plan.prices ? money(Math.round(amount / 12)) : null;
  return {
    code: plan.code,
    name: tr.t(`plans.${plan.code}.name`),
    tagline: tr.t(`plans.${plan.code}.tagline`),
    tier,
    current: ctx.currentPlan === plan.code,
    recommended: ctx.recommendedPlan === plan.code && ctx.currentPlan !== plan.code,
    trial_days: plan.trial_days,
    price: {
      ...price,
      interval,
      words: plan.prices ? tr.t(`price.${interval}`, { amount: price.formatted }) : tr.t('words.free'),
    },
    annual_saving:
      saving !== undefined && saving > 0
        ? { ...money(saving), words: tr.t('phrases.annual_saving', { amount: money(saving).formatted }) }
        : null,
    monthly_equivalent: perMonth
      ? { ...perMonth, words: tr.t('phrases.monthly_equivalent', { amount: perMonth.formatted }) }
      : null,
    features: ctx.catalog.features.map((feature) => ({
      code: feature.code,
      name: tr.t(`features.${feature.code}`),
      ...featureValue(feature, plan.limits[feature.code], plan.includes.includes(feature.code), tr),
    })),
    benefits: plan.benefits.map((key) => tr.t(`plans.${plan.code}.benefits.${key}`)),
    social_proof: plan.social_proof.map((key) => tr.t(`social_proof.${key}`)),
    guarantee: columnGuarantee(ctx, { type: 'plan', code: plan.code }),
  };
}
