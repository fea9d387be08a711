import { findAddOn } from '../catalog/catalog-lookup';
import type { TargetContext } from './offer-target';
import { addOnSellable, heldCodes } from './offer-holdings';

/**
 * The add-on most often held together with what this account holds, among accounts of its
 * segment (co-purchase counts are input data); ties by code so the answer is stable.
 */
export function recommendedAddOn(ctx: TargetContext): string | null {
  const held = heldCodes(ctx);
  const scores = new Map<string, number>();
  for (const code of held) {
    for (const [addOn, count] of Object.entries(ctx.coPurchases[code] ?? {})) {
      if (count > 0) scores.set(addOn, (scores.get(addOn) ?? 0) + count);
    }
  }
  const ranked = [...scores.entries()]
    .filter(([code]) => {
      const addOn = findAddOn(ctx.catalog, code);
      return addOn !== undefined && addOnSellable(addOn, ctx);
    })
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  return ranked[0]?.[0] ?? null;
}
