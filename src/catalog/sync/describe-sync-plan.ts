import { toDecimalString } from '../../shared/money';
import type { DesiredPrice, SyncOperation } from './stripe-catalog.types';

/** One line per write, for `--dry-run` and the admin diff: `+ price tierlift_plan_pro_month usd 19.00 …`. */
export function describeSyncPlan(operations: readonly SyncOperation[]): string[] {
  if (operations.length === 0) return ['Stripe matches the catalog: nothing to write.'];
  return operations.map(describeOperation);
}

function amounts(price: Pick<DesiredPrice, 'currency' | 'unit_amount' | 'currency_options'>): string {
  const others = Object.entries(price.currency_options).filter(([currency]) => currency !== price.currency);
  const all = [[price.currency, price.unit_amount] as const, ...others];
  return all.map(([currency, amount]) => `${currency} ${toDecimalString(amount, currency)}`).join(', ');
}

export function describeOperation(operation: SyncOperation): string {
  switch (operation.op) {
    case 'create_product':
      return `+ product ${operation.product.id} "${operation.product.name}"`;
    case 'update_product':
      return `~ product ${operation.id}: ${Object.keys(operation.changes).join(', ')}`;
    case 'archive_product':
      return `- product ${operation.id} (archived)`;
    case 'create_price': {
      const { price, replaces } = operation;
      const every = price.recurring ? `/${price.recurring.interval}` : ' one-time';
      const line = `+ price ${price.lookup_key}${every}: ${amounts(price)}`;
      if (!replaces) return line;
      const before = amounts({
        currency: replaces.currency,
        unit_amount: replaces.unit_amount ?? 0,
        currency_options: replaces.currency_options,
      });
      return `${line} (replaces ${replaces.id}: ${before}; the lookup key moves, existing subscribers keep the old price)`;
    }
    case 'update_price':
      return `~ price ${operation.lookup_key} (${operation.id}): ${Object.keys(operation.changes).join(', ')}`;
    case 'archive_price':
      return `- price ${operation.id}${operation.lookup_key ? ` ${operation.lookup_key}` : ''} (archived: ${operation.reason})`;
    case 'create_coupon':
      return `+ coupon ${operation.coupon.id}: ${operation.coupon.percent_off}% off ${operation.coupon.applies_to_products.join(', ')} (${operation.coupon.duration})`;
    case 'delete_coupon':
      return `- coupon ${operation.id}`;
  }
}
