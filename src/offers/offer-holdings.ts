import type { AddOn } from '../catalog/catalog.types';
import type { OfferAccount, OfferSubscription, Purchase } from './offers.types';

interface HoldingContext {
  subscription: OfferSubscription | null;
  purchases: readonly Purchase[];
  account: OfferAccount;
  regions: readonly string[];
}

/** Every plan and add-on code the account holds or has bought. */
export function heldCodes(ctx: Pick<HoldingContext, 'subscription' | 'purchases'>): Set<string> {
  const held = new Set<string>([ctx.subscription?.planCode ?? 'free']);
  for (const item of ctx.subscription?.addOns ?? []) held.add(item.code);
  for (const purchase of ctx.purchases) if (purchase.kind === 'add_on') held.add(purchase.code);
  return held;
}

/**
 * May this add-on be offered: not held already, sold with the current plan (free accounts
 * cannot attach a recurring add-on), and made for the account's industry or region if the
 * catalog says it is.
 */
export function addOnSellable(addOn: AddOn, ctx: HoldingContext, options: { ignorePlan?: boolean } = {}): boolean {
  if (heldCodes(ctx).has(addOn.code)) return false;
  const plan = ctx.subscription?.planCode;
  if (!options.ignorePlan) {
    if (addOn.type === 'recurring' && !plan) return false;
    if (addOn.available_on && !(plan && addOn.available_on.includes(plan))) return false;
  }
  if (addOn.type === 'one_time' && addOn.audience) {
    if (addOn.audience.industry && addOn.audience.industry !== ctx.account.industry) return false;
    if (addOn.audience.region && !ctx.regions.includes(addOn.audience.region)) return false;
  }
  return true;
}
