import {
  MANAGED_PREFIX,
  type CurrentPrice,
  type CurrentProduct,
  type CurrentStripeCatalog,
  type DesiredPrice,
  type DesiredProduct,
  type DesiredStripeCatalog,
  type SyncOperation,
} from './stripe-catalog.types';

const isManaged = (id: string | null | undefined) => Boolean(id?.startsWith(MANAGED_PREFIX));

/**
 * The writes that make Stripe match the catalog, in the order they must run:
 * products first (prices need them), new prices before the archiving of the ones they
 * replace, coupons, then products that left the catalog. Pure; empty when in sync.
 */
export function planCatalogSync(desired: DesiredStripeCatalog, current: CurrentStripeCatalog): SyncOperation[] {
  const products: SyncOperation[] = [];
  const prices: SyncOperation[] = [];
  const archives: SyncOperation[] = [];
  const coupons: SyncOperation[] = [];
  const retire: SyncOperation[] = [];

  const currentProducts = new Map(current.products.map((p) => [p.id, p]));
  for (const product of desired.products) {
    const existing = currentProducts.get(product.id);
    if (!existing) products.push({ op: 'create_product', product });
    else {
      const changes = productChanges(product, existing);
      if (changes) products.push({ op: 'update_product', id: product.id, changes });
    }
  }
  const wantedProducts = new Set(desired.products.map((p) => p.id));
  for (const product of current.products) {
    if (isManaged(product.id) && product.active && !wantedProducts.has(product.id))
      retire.push({ op: 'archive_product', id: product.id });
  }

  const activePrices = current.prices.filter((p) => p.active && isManaged(p.product));
  const byLookupKey = new Map(activePrices.filter((p) => p.lookup_key).map((p) => [p.lookup_key as string, p]));
  const kept = new Set<string>();
  for (const price of desired.prices) {
    const existing = byLookupKey.get(price.lookup_key);
    if (existing && samePrice(price, existing)) {
      kept.add(existing.id);
      const changes = priceLabelChanges(price, existing);
      if (changes) prices.push({ op: 'update_price', id: existing.id, lookup_key: price.lookup_key, changes });
      continue;
    }
    prices.push(existing ? { op: 'create_price', price, replaces: existing } : { op: 'create_price', price });
    if (existing) {
      kept.add(existing.id);
      archives.push({ op: 'archive_price', id: existing.id, lookup_key: existing.lookup_key, reason: 'replaced' });
    }
  }
  for (const price of activePrices) {
    if (kept.has(price.id)) continue;
    // A managed price whose lookup key left the catalog, or moved on without the old price being archived (an interrupted run).
    archives.push({
      op: 'archive_price',
      id: price.id,
      lookup_key: price.lookup_key,
      reason: price.lookup_key ? 'removed' : 'stale',
    });
  }

  const currentCoupons = new Set(current.coupons.filter((c) => isManaged(c.id)).map((c) => c.id));
  const wantedCoupons = new Set(desired.coupons.map((c) => c.id));
  for (const coupon of desired.coupons) {
    if (!currentCoupons.has(coupon.id)) coupons.push({ op: 'create_coupon', coupon });
  }
  // NOTE: deleting a coupon leaves the discounts already applied with it in place (Stripe keeps them).
  for (const id of currentCoupons) {
    if (!wantedCoupons.has(id)) coupons.push({ op: 'delete_coupon', id });
  }
  return [...products, ...prices, ...archives, ...coupons, ...retire];
}

/** Same money and same billing: anything else needs a new Price (Stripe prices' amounts are immutable). */
export function samePrice(desired: DesiredPrice, current: CurrentPrice): boolean {
  if (current.product !== desired.product) return false;
  if (current.currency !== desired.currency || current.unit_amount !== desired.unit_amount) return false;
  if ((current.recurring?.interval ?? null) !== (desired.recurring?.interval ?? null)) return false;
  const theirs = Object.entries(current.currency_options).filter(([currency]) => currency !== current.currency);
  const mine = Object.entries(desired.currency_options);
  if (theirs.length !== mine.length) return false;
  return mine.every(([currency, amount]) => current.currency_options[currency] === amount);
}

function productChanges(
  desired: DesiredProduct,
  current: CurrentProduct,
): Extract<SyncOperation, { op: 'update_product' }>['changes'] | undefined {
  const changes: Extract<SyncOperation, { op: 'update_product' }>['changes'] = {};
  if (desired.name !== current.name) changes.name = desired.name;
  if (desired.description !== (current.description ?? '')) changes.description = desired.description;
  if (!sameMetadata(desired.metadata, current.metadata)) changes.metadata = desired.metadata;
  if (!current.active) changes.active = true;
  return Object.keys(changes).length > 0 ? changes : undefined;
}

function priceLabelChanges(
  desired: DesiredPrice,
  current: CurrentPrice,
): { nickname?: string; metadata?: Record<string, string> } | undefined {
  const changes: { nickname?: string; metadata?: Record<string, string> } = {};
  if (desired.nickname !== current.nickname) changes.nickname = desired.nickname;
  if (!sameMetadata(desired.metadata, current.metadata)) changes.metadata = desired.metadata;
  return Object.keys(changes).length > 0 ? changes : undefined;
}

/** Ours must all be there with our values; keys others added in the dashboard are left alone. */
function sameMetadata(mine: Record<string, string>, theirs: Record<string, string>): boolean {
  return Object.entries(mine).every(([key, value]) => theirs[key] === value);
}
