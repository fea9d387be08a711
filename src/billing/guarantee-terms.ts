import type { Catalog } from '../catalog/catalog.types';

export type PurchaseKind = 'plan_upgrade' | 'recurring_add_on' | 'one_time';

/**
 * Pure: the money-back guarantee a purchase would carry, read from the catalog's
 * `guarantees` section (shaped by the guarantees module: `<kind>: { days }` or
 * `<kind>: { window_days }`). No policy, no promise: `eligible: false`.
 */
export function guaranteeFor(catalog: Catalog, kind: PurchaseKind): { eligible: boolean; days: number | null } {
  const policy = catalog.guarantees?.[kind];
  if (typeof policy !== 'object' || policy === null) return { eligible: false, days: null };
  const record = policy as Record<string, unknown>;
  const days = record.days ?? record.window_days;
  if (typeof days !== 'number' || !Number.isInteger(days) || days <= 0) return { eligible: false, days: null };
  return { eligible: true, days };
}
