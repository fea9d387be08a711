import { desiredStripeCatalog } from '../../src/catalog/sync/desired-stripe-catalog';
import { planCatalogSync } from '../../src/catalog/sync/plan-catalog-sync';
import { describeSyncPlan } from '../../src/catalog/sync/describe-sync-plan';
import { idempotencyKeyFor } from '../../src/catalog/sync/apply-sync-plan';
import type { CurrentStripeCatalog, DesiredStripeCatalog } from '../../src/catalog/sync/stripe-catalog.types';
import { demoCatalog } from './support/demo-catalog';

const EMPTY: CurrentStripeCatalog = { products: [], prices: [], coupons: [] };

function desiredFor(mutate?: (catalog: ReturnType<typeof demoCatalog>['catalog']) => void): DesiredStripeCatalog {
  const { catalog, messages } = demoCatalog();
  mutate?.(catalog);
  return desiredStripeCatalog(catalog, messages.en ?? {});
}

/** What Stripe would hold after a sync of `desired` (Stripe echoes each default currency in currency_options). */
function stripeHolding(desired: DesiredStripeCatalog): CurrentStripeCatalog {
  return {
    products: desired.products.map((p) => ({ ...p, active: true })),
    prices: desired.prices.map((p, i) => ({
      id: `price_${i}`,
      product: p.product,
      active: true,
      lookup_key: p.lookup_key,
      currency: p.currency,
      unit_amount: p.unit_amount,
      currency_options: { [p.currency]: p.unit_amount, ...p.currency_options },
      recurring: p.recurring,
      nickname: p.nickname,
      metadata: { ...p.metadata, added_in_dashboard: 'yes' },
    })),
    coupons: desired.coupons.map((c) => ({ id: c.id, valid: true })),
  };
}

describe('planCatalogSync', () => {
  it('creates every product, price and coupon from empty', () => {
    const desired = desiredFor();
    const plan = planCatalogSync(desired, EMPTY);
    const count = (op: string) => plan.filter((o) => o.op === op).length;
    // 3 plans + 7 add-ons; 2 paid plans × 2 intervals + 2 recurring add-ons × 2 + maintenance yearly + 4 one-time; 3 bundles.
    expect(count('create_product')).toBe(10);
    expect(count('create_price')).toBe(4 + 4 + 1 + 4);
    expect(count('create_coupon')).toBe(3);
    expect(plan).toHaveLength(10 + 13 + 3);
  });

  it('puts the default currency on the price and the others in currency_options', () => {
    const pro = desiredFor().prices.find((p) => p.lookup_key === 'tierlift_plan_pro_month');
    expect(pro).toMatchObject({
      currency: 'usd',
      unit_amount: 1900,
      recurring: { interval: 'month' },
      product: 'tierlift_plan_pro',
    });
    expect(pro?.currency_options).toMatchObject({ eur: 1900, jpy: 2800, kwd: 6000, uzs: 9900000 });
    expect(pro?.currency_options.usd).toBeUndefined();
  });

  it('plans nothing when Stripe already matches', () => {
    const desired = desiredFor();
    expect(planCatalogSync(desired, stripeHolding(desired))).toEqual([]);
    expect(describeSyncPlan([])).toEqual(['Stripe matches the catalog: nothing to write.']);
  });

  it('replaces a price whose amount changed and archives the old one', () => {
    const before = stripeHolding(desiredFor());
    const after = desiredFor((catalog) => {
      const jpy = catalog.plans[1]?.prices?.month;
      if (jpy) jpy.jpy = 3000;
    });
    const plan = planCatalogSync(after, before);
    const old = before.prices.find((p) => p.lookup_key === 'tierlift_plan_pro_month');
    expect(plan).toEqual([
      expect.objectContaining({
        op: 'create_price',
        replaces: old,
        price: expect.objectContaining({ lookup_key: 'tierlift_plan_pro_month' }),
      }),
      { op: 'archive_price', id: old?.id, lookup_key: 'tierlift_plan_pro_month', reason: 'replaced' },
    ]);
    expect(describeSyncPlan(plan)[0]).toMatch(
      /replaces price_\d+: .*jpy 2800.*existing subscribers keep the old price/,
    );
  });

  it('archives the prices and product of an add-on that left the catalog', () => {
    const before = stripeHolding(desiredFor());
    const after = desiredFor((catalog) => {
      catalog.add_ons = catalog.add_ons.filter((a) => a.code !== 'seo_setup');
      catalog.bundles = catalog.bundles.filter((b) => b.code !== 'launch_pack');
    });
    const ops = planCatalogSync(after, before).map((o) => o.op);
    expect(ops).toEqual(['archive_price', 'delete_coupon', 'archive_product']);
  });

  it('archives a managed price left active without its lookup key by an interrupted run', () => {
    const desired = desiredFor();
    const current = stripeHolding(desired);
    current.prices.push({
      ...(current.prices[0] as CurrentStripeCatalog['prices'][number]),
      id: 'price_orphan',
      lookup_key: null,
    });
    expect(planCatalogSync(desired, current)).toEqual([
      { op: 'archive_price', id: 'price_orphan', lookup_key: null, reason: 'stale' },
    ]);
  });

  it('leaves products and prices it does not manage alone', () => {
    const desired = desiredFor();
    const current = stripeHolding(desired);
    current.products.push({ id: 'prod_someone_else', name: 'Other', description: null, active: true, metadata: {} });
    current.prices.push({
      ...(current.prices[0] as CurrentStripeCatalog['prices'][number]),
      id: 'price_other',
      product: 'prod_someone_else',
      lookup_key: 'theirs',
    });
    expect(planCatalogSync(desired, current)).toEqual([]);
  });

  it('creates a new coupon when a bundle discount changes', () => {
    const before = stripeHolding(desiredFor());
    const after = desiredFor((catalog) => {
      if (catalog.bundles[0]) catalog.bundles[0].discount.percent_off = 25;
    });
    expect(planCatalogSync(after, before).map((o) => o.op)).toEqual(['create_coupon', 'delete_coupon']);
  });

  it('derives idempotency keys from the catalog version and the operation', () => {
    const [first] = planCatalogSync(desiredFor(), EMPTY);
    if (!first) throw new Error('no operation');
    expect(idempotencyKeyFor('a'.repeat(64), first)).toBe(
      `tierlift-catalog-${'a'.repeat(16)}-create_product-tierlift_plan_free`,
    );
  });
});
