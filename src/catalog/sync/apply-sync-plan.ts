import type { StripeClient } from '../../stripe/stripe-client';
import type { DesiredPrice, SyncOperation } from './stripe-catalog.types';

export interface AppliedOperation {
  operation: SyncOperation;
  /** The Stripe id created or changed. */
  id: string;
}

/**
 * Runs the planned writes one by one, each with an idempotency key derived from the
 * catalog version and the operation, so a retried or re-run sync of the same version
 * replays instead of duplicating. Stops at the first failure (the next run picks up
 * from what Stripe then holds).
 */
export async function applySyncPlan(
  stripe: StripeClient,
  version: string,
  operations: readonly SyncOperation[],
): Promise<AppliedOperation[]> {
  const applied: AppliedOperation[] = [];
  for (const operation of operations) {
    const idempotencyKey = idempotencyKeyFor(version, operation);
    applied.push({ operation, id: await applyOne(stripe, operation, idempotencyKey) });
  }
  return applied;
}

/** `tierlift-catalog-<version 16>-<op>-<target>`: the same version and write always send the same key and parameters. */
export function idempotencyKeyFor(version: string, operation: SyncOperation): string {
  return `tierlift-catalog-${version.slice(0, 16)}-${operation.op}-${targetOf(operation)}`.slice(0, 255);
}

function targetOf(operation: SyncOperation): string {
  switch (operation.op) {
    case 'create_product':
      return operation.product.id;
    case 'create_price':
      return `${operation.price.lookup_key}-${operation.replaces?.id ?? 'new'}`;
    case 'create_coupon':
      return operation.coupon.id;
    default:
      return operation.id;
  }
}

async function applyOne(stripe: StripeClient, operation: SyncOperation, idempotencyKey: string): Promise<string> {
  const options = { idempotencyKey };
  switch (operation.op) {
    case 'create_product': {
      const { id, name, description, metadata } = operation.product;
      return (await stripe.products.create({ id, name, description, metadata }, options)).id;
    }
    case 'update_product':
      return (await stripe.products.update(operation.id, operation.changes, options)).id;
    case 'archive_product':
      return (await stripe.products.update(operation.id, { active: false }, options)).id;
    case 'create_price':
      return (await stripe.prices.create(priceParams(operation.price), options)).id;
    case 'update_price':
      return (await stripe.prices.update(operation.id, operation.changes, options)).id;
    case 'archive_price':
      return (await stripe.prices.update(operation.id, { active: false }, options)).id;
    case 'create_coupon': {
      // NOTE: applies_to restricts the coupon to the bundle's discounted products wherever it is used:
      // as an item's own discount (subscription items, invoice items) and as Checkout's one discount,
      // which Stripe then applies to the matching line items only. metadata.tierlift_applies_to names them too.
      const { id, name, percent_off, duration, applies_to_products, metadata } = operation.coupon;
      const params = {
        id,
        name,
        percent_off,
        duration,
        applies_to: { products: applies_to_products },
        metadata: { ...metadata, tierlift_applies_to: applies_to_products.join(',') },
      };
      return (await stripe.coupons.create(params, options)).id;
    }
    case 'delete_coupon':
      return (await stripe.coupons.del(operation.id, {}, options)).id;
  }
}

function priceParams(price: DesiredPrice) {
  const currencyOptions = Object.fromEntries(
    Object.entries(price.currency_options).map(([currency, amount]) => [currency, { unit_amount: amount }]),
  );
  return {
    product: price.product,
    currency: price.currency,
    unit_amount: price.unit_amount,
    ...(Object.keys(currencyOptions).length > 0 ? { currency_options: currencyOptions } : {}),
    ...(price.recurring ? { recurring: { interval: price.recurring.interval } } : {}),
    lookup_key: price.lookup_key,
    // NOTE: moves the lookup key from the price this one replaces in the same request (Stripe: transfer_lookup_key).
    transfer_lookup_key: true,
    nickname: price.nickname,
    metadata: price.metadata,
  };
}
