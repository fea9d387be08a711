import type { Catalog } from '../catalog/catalog.types';
import { windowDays } from '../guarantees/guarantee-windows';

export type PurchaseKind = 'plan_upgrade' | 'recurring_add_on' | 'one_time';

/**
 * Pure: the money-back guarantee a purchase would carry, from the catalog's `guarantees`
 * policies through the same function the offers engine and eligibility use, so a quote and
 * a prompt always promise the same days. No policy, no promise: `eligible: false`.
 */
export function guaranteeFor(catalog: Catalog, kind: PurchaseKind): { eligible: boolean; days: number | null } {
  const days = windowDays(catalog.guarantees, kind);
  return days === null ? { eligible: false, days: null } : { eligible: true, days };
}
