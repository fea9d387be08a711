import crypto from 'node:crypto';
import type { Messages } from '../catalog-messages';
import type { Catalog, IntervalPrices, PriceMap } from '../catalog.types';
import { MANAGED_PREFIX, type DesiredPrice, type DesiredStripeCatalog } from './stripe-catalog.types';

export const productId = (kind: 'plan' | 'addon', code: string) => `${MANAGED_PREFIX}${kind}_${code}`;
export const priceLookupKey = (kind: 'plan' | 'addon', code: string, interval: 'month' | 'year' | 'one_time') =>
  `${MANAGED_PREFIX}${kind}_${code}_${interval}`;

/** The products, prices and coupons Stripe should hold for a catalog, named in English. Pure. */
export function desiredStripeCatalog(catalog: Catalog, english: Messages): DesiredStripeCatalog {
  const text = (key: string) => english[key] ?? key;
  const result: DesiredStripeCatalog = { products: [], prices: [], coupons: [] };
  const price = (
    kind: 'plan' | 'addon',
    code: string,
    interval: 'month' | 'year' | 'one_time',
    map: PriceMap,
  ): DesiredPrice => {
    const { [catalog.default_currency]: unitAmount, ...others } = map;
    return {
      lookup_key: priceLookupKey(kind, code, interval),
      product: productId(kind, code),
      currency: catalog.default_currency,
      unit_amount: unitAmount ?? 0,
      currency_options: others,
      recurring: interval === 'one_time' ? null : { interval },
      nickname: `${code} ${interval.replace('_', '-')}`,
      metadata: { tierlift_kind: kind, tierlift_code: code, tierlift_interval: interval },
    };
  };
  const recurring = (kind: 'plan' | 'addon', code: string, prices: IntervalPrices | undefined) => {
    for (const interval of ['month', 'year'] as const) {
      const map = prices?.[interval];
      if (map) result.prices.push(price(kind, code, interval, map));
    }
  };

  for (const plan of catalog.plans) {
    result.products.push({
      id: productId('plan', plan.code),
      name: `${text(`plans.${plan.code}.name`)}`,
      description: text(`plans.${plan.code}.tagline`),
      metadata: { tierlift_kind: 'plan', tierlift_code: plan.code },
    });
    recurring('plan', plan.code, plan.prices);
  }
  for (const addOn of catalog.add_ons) {
    result.products.push({
      id: productId('addon', addOn.code),
      name: text(`add_ons.${addOn.code}.name`),
      description: text(`add_ons.${addOn.code}.description`),
      metadata: { tierlift_kind: 'addon', tierlift_code: addOn.code, tierlift_type: addOn.type },
    });
    if (addOn.type === 'recurring') recurring('addon', addOn.code, addOn.prices);
    else result.prices.push(price('addon', addOn.code, 'one_time', addOn.price));
  }
  for (const bundle of catalog.bundles) {
    const products = bundle.discount.applies_to.map((code) =>
      catalog.plans.some((p) => p.code === code) ? productId('plan', code) : productId('addon', code),
    );
    // NOTE: 'applies_to' is part of the terms since coupons carry it: older coupons without it get replaced.
    const terms = JSON.stringify([
      bundle.discount.percent_off,
      bundle.discount.duration,
      [...products].sort(),
      'applies_to',
    ]);
    const hash = crypto.createHash('sha256').update(terms).digest('hex').slice(0, 8);
    result.coupons.push({
      id: `${MANAGED_PREFIX}bundle_${bundle.code}_${hash}`,
      name: text(`bundles.${bundle.code}.name`).slice(0, 40),
      percent_off: bundle.discount.percent_off,
      duration: bundle.discount.duration,
      applies_to_products: products,
      metadata: { tierlift_kind: 'bundle', tierlift_code: bundle.code },
    });
  }
  return result;
}
