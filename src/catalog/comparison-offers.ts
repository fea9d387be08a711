import { bundlePrice } from './bundle-price';
import { columnGuarantee, type ColumnGuarantee, type TableContext } from './comparison-table';
import type { Interval } from './catalog.types';
import { displayMoney, type DisplayMoney } from './display-money';

export interface AddOnColumn {
  code: string;
  type: 'recurring' | 'one_time';
  name: string;
  description: string;
  per_unit: boolean;
  /** Recurring add-ons: the chosen interval when sold that way, else the interval they are sold by. */
  price: DisplayMoney & { interval: Interval | 'one_time'; words: string };
  /** Metered capacity per unit, e.g. { seats: 1 }. */
  adds: Record<string, number>;
  enables: string[];
  available_on: string[];
  benefits: string[];
  social_proof: string[];
  guarantee: ColumnGuarantee | null;
}

export interface BundleColumn {
  code: string;
  name: string;
  description: string;
  interval: Interval;
  items: Array<{
    type: 'plan' | 'add_on';
    code: string;
    name: string;
    quantity: number;
    price: DisplayMoney;
    discount: DisplayMoney;
  }>;
  regular_price: DisplayMoney;
  /** The first invoice. */
  price: DisplayMoney;
  renewal_price: DisplayMoney & { words: string };
  saving: DisplayMoney & { words: string; percent_off: number };
  benefits: string[];
  social_proof: string[];
  guarantee: ColumnGuarantee | null;
}

export function offeredAddOns(ctx: TableContext): AddOnColumn[] {
  const { tr, currency, formatLocale } = ctx;
  const paidPlans = ctx.catalog.plans.filter((p) => p.prices).map((p) => p.code);
  return ctx.catalog.add_ons.flatMap((addOn): AddOnColumn[] => {
    let interval: Interval | 'one_time' = 'one_time';
    let amount = addOn.type === 'one_time' ? addOn.price[currency] : undefined;
    if (addOn.type === 'recurring') {
      interval = addOn.prices[ctx.interval] ? ctx.interval : ctx.interval === 'month' ? 'year' : 'month';
      amount = addOn.prices[interval]?.[currency];
    }
    if (amount === undefined) return [];
    const money = displayMoney(amount, currency, formatLocale);
    const base = tr.t(`price.${interval}`, { amount: money.formatted });
    const unit = Object.keys(addOn.adds)[0];
    const unitFeature = ctx.catalog.features.find((f) => f.code === unit);
    const words =
      addOn.per_unit && unitFeature?.type === 'metered'
        ? tr.t('price.per_unit', { price: base, unit: tr.unit(unitFeature.unit, 1) })
        : base;
    return [
      {
        code: addOn.code,
        type: addOn.type,
        name: tr.t(`add_ons.${addOn.code}.name`),
        description: tr.t(`add_ons.${addOn.code}.description`),
        per_unit: addOn.per_unit,
        price: { ...money, interval, words },
        adds: addOn.adds,
        enables: addOn.enables,
        available_on: addOn.available_on ?? paidPlans,
        benefits: addOn.benefits.map((key) => tr.t(`add_ons.${addOn.code}.benefits.${key}`)),
        social_proof: addOn.social_proof.map((key) => tr.t(`social_proof.${key}`)),
        guarantee: columnGuarantee(ctx, { type: 'add_on', code: addOn.code }),
      },
    ];
  });
}

export function offeredBundles(ctx: TableContext): BundleColumn[] {
  const { tr, currency, formatLocale } = ctx;
  const money = (amount: number) => displayMoney(amount, currency, formatLocale);
  return ctx.catalog.bundles.map((bundle) => {
    const priced = bundlePrice(ctx.catalog, bundle, currency);
    const renewal = money(priced.renewal);
    const saving = money(priced.discount);
    return {
      code: bundle.code,
      name: tr.t(`bundles.${bundle.code}.name`),
      description: tr.t(`bundles.${bundle.code}.description`),
      interval: bundle.interval,
      items: priced.lines.map((line) => ({
        type: line.kind,
        code: line.code,
        name: tr.t(`${line.kind === 'plan' ? 'plans' : 'add_ons'}.${line.code}.name`),
        quantity: line.quantity,
        price: money(line.amount),
        discount: money(line.discount),
      })),
      regular_price: money(priced.regular),
      price: money(priced.total),
      renewal_price: { ...renewal, words: tr.t(`price.${bundle.interval}`, { amount: renewal.formatted }) },
      saving: {
        ...saving,
        percent_off: bundle.discount.percent_off,
        words: tr.t('phrases.bundle_saving', { amount: saving.formatted }),
      },
      benefits: bundle.benefits.map((key) => tr.t(`bundles.${bundle.code}.benefits.${key}`)),
      social_proof: bundle.social_proof.map((key) => tr.t(`social_proof.${key}`)),
      guarantee: columnGuarantee(ctx, { type: 'bundle', code: bundle.code }),
    };
  });
}
