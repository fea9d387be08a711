import type { Stripe, StripeClient } from '../../stripe/stripe-client';
import { MANAGED_PREFIX, type CurrentPrice, type CurrentStripeCatalog } from './stripe-catalog.types';

const ALL = { limit: 10000 };

/** Reads the products, active prices and coupons the sync manages (ids starting with tierlift_). Reads only. */
export async function readStripeCatalog(stripe: StripeClient): Promise<CurrentStripeCatalog> {
  const products = (await stripe.products.list({ limit: 100 }).autoPagingToArray(ALL)).filter((p) =>
    p.id.startsWith(MANAGED_PREFIX),
  );
  const managed = new Set(products.map((p) => p.id));
  // NOTE: Stripe returns currency_options only when expanded.
  const prices = await stripe.prices
    .list({ active: true, limit: 100, expand: ['data.currency_options'] })
    .autoPagingToArray(ALL);
  const coupons = await stripe.coupons.list({ limit: 100 }).autoPagingToArray(ALL);
  return {
    products: products.map((p) => ({
      id: p.id,
      name: p.name,
      description: p.description,
      active: p.active,
      metadata: { ...p.metadata },
    })),
    prices: prices.map(toCurrentPrice).filter((p) => managed.has(p.product)),
    coupons: coupons.filter((c) => c.id.startsWith(MANAGED_PREFIX)).map((c) => ({ id: c.id, valid: c.valid })),
  };
}

function toCurrentPrice(price: Stripe.Price): CurrentPrice {
  const options: Record<string, number> = {};
  for (const [currency, option] of Object.entries(price.currency_options ?? {})) {
    if (option.unit_amount !== null) options[currency] = option.unit_amount;
  }
  return {
    id: price.id,
    product: typeof price.product === 'string' ? price.product : price.product.id,
    active: price.active,
    lookup_key: price.lookup_key,
    currency: price.currency,
    unit_amount: price.unit_amount,
    currency_options: options,
    recurring: price.recurring ? { interval: price.recurring.interval } : null,
    nickname: price.nickname,
    metadata: { ...price.metadata },
  };
}
