import { findAddOn, findPlan, tierOf } from '../catalog/catalog-lookup';
import type { Bundle, Catalog } from '../catalog/catalog.types';
import { bundleItemCode, isPlanItem } from '../catalog/catalog.types';
import { priceLookupKey } from '../catalog/sync/desired-stripe-catalog';
import { unprocessable } from '../shared/errors';
import {
  freePlanCode,
  targetItems,
  type BundledAddOns,
  type ChangeRequest,
  type OneTimeItem,
  type TargetItem,
} from './plan-change.rules';
import type { SubscriptionState } from './subscription-state';

/** How a bundle is bought: what the subscription holds after it, what is charged once, what is discounted. */
export interface BundleChange {
  kind: 'bundle';
  bundle: Bundle;
  /** Free account: a Checkout Session; subscribed: one pay-first subscription update. */
  via: 'checkout' | 'update';
  direction: 'upgrade' | 'add_ons';
  /** Recurring items after the purchase (the subscription's kept items included). */
  target: Array<TargetItem & { discounted: boolean }>;
  removedItemIds: string[];
  oneTime: Array<OneTimeItem & { discounted: boolean }>;
  /** Whether the bundle holds a plan (decides the guarantee and the purchase kind). */
  hasPlan: boolean;
}

/**
 * Pure: decides how a bundle is bought, or refuses it with a 422 naming `bundle`. A bundle is
 * bought whole and now: it must be sold in the account's currency, may not include the plan or a
 * recurring add-on the account already holds (the discount would then reach what was already
 * paid for), may not move the account to a lower plan, and waits for a scheduled downgrade to be
 * cancelled first.
 */
export function bundleChange(
  catalog: Catalog,
  current: SubscriptionState | null,
  request: ChangeRequest,
  currency: string,
): BundleChange {
  if (request.plan !== undefined || request.interval !== undefined || request.add_ons?.length)
    throw unprocessable('mixed_change', 'Buy a bundle on its own, apart from plan or add-on changes.', 'bundle');
  const bundle = catalog.bundles.find((entry) => entry.code === request.bundle);
  if (!bundle) throw unprocessable('unknown_bundle', `There is no bundle "${request.bundle}".`, 'bundle');
  assertSoldIn(catalog, bundle, currency);
  const planItem = bundle.items.find(isPlanItem);
  const currentPlan = current?.planCode ?? freePlanCode(catalog);
  const planCode = planItem?.plan ?? currentPlan;
  if (!findPlan(catalog, planCode)?.prices)
    throw unprocessable('bundle_not_available', `The ${bundle.code} bundle needs a paid plan.`, 'bundle');
  if (current && planItem && planItem.plan === current.planCode)
    throw unprocessable(
      'bundle_plan_held',
      `The account is already on the ${planItem.plan} plan that the ${bundle.code} bundle includes.`,
      'bundle',
    );
  if (current && tierOf(catalog, planCode) < tierOf(catalog, currentPlan))
    throw unprocessable(
      'bundle_downgrade',
      `The ${bundle.code} bundle would move the account to a lower plan.`,
      'bundle',
    );
  if (current && !planItem && current.interval !== bundle.interval)
    throw unprocessable(
      'interval_not_available',
      `The ${bundle.code} bundle is billed per ${bundle.interval}.`,
      'bundle',
    );
  if (current?.scheduleId)
    throw unprocessable(
      'change_scheduled',
      'A downgrade is scheduled for the renewal; cancel it before buying a bundle.',
      'bundle',
    );
  const discounted = new Set(bundle.discount.applies_to);
  const recurring = bundle.items.filter(
    (item) => !isPlanItem(item) && findAddOn(catalog, item.add_on)?.type === 'recurring',
  );
  // NOTE: bought through a subscription update, a bundle with nothing recurring changes no item, so
  // a retry could not tell it from one already applied (it would settle on the last renewal's
  // invoice). One-time items bought on their own go through their own invoice instead.
  if (current && !planItem && recurring.length === 0)
    throw unprocessable(
      'bundle_not_available',
      `The ${bundle.code} bundle holds only one-time items, which a subscribed account buys as one-time add-ons (add_ons), without the bundle.`,
      'bundle',
    );
  for (const item of recurring) {
    const code = bundleItemCode(item);
    if (current?.items.some((had) => had.kind === 'add_on' && had.code === code))
      throw unprocessable(
        'bundle_item_held',
        `The account already has ${code}, which the ${bundle.code} bundle includes.`,
        'bundle',
      );
  }
  const target = targetItems(
    catalog,
    current,
    planCode,
    bundle.interval,
    recurring.map((item) => ({ code: bundleItemCode(item), quantity: item.quantity })),
  ).map((item) => ({ ...item, discounted: bundleHolds(bundle, item) && discounted.has(item.code) }));
  const oneTime = bundle.items
    .filter((item) => !isPlanItem(item) && findAddOn(catalog, item.add_on)?.type === 'one_time')
    .map((item) => {
      const code = bundleItemCode(item);
      return {
        code,
        quantity: item.quantity,
        lookupKey: priceLookupKey('addon', code, 'one_time'),
        discounted: discounted.has(code),
      };
    });
  const kept = new Set(target.map((item) => item.existingItemId).filter(Boolean));
  return {
    kind: 'bundle',
    bundle,
    via: current ? 'update' : 'checkout',
    direction: planItem ? 'upgrade' : 'add_ons',
    target,
    removedItemIds: current ? current.items.filter((item) => !kept.has(item.id)).map((item) => item.id) : [],
    oneTime,
    hasPlan: planItem !== undefined,
  };
}

/** Only the bundle's own items carry its discount, never items the subscription keeps. */
function bundleHolds(bundle: Bundle, item: TargetItem): boolean {
  return bundle.items.some(
    (entry) => bundleItemCode(entry) === item.code && isPlanItem(entry) === (item.kind === 'plan'),
  );
}

function assertSoldIn(catalog: Catalog, bundle: Bundle, currency: string): void {
  for (const item of bundle.items) {
    const code = bundleItemCode(item);
    let amount: number | undefined;
    if (isPlanItem(item)) amount = findPlan(catalog, code)?.prices?.[bundle.interval]?.[currency];
    else {
      const addOn = findAddOn(catalog, code);
      amount = addOn?.type === 'recurring' ? addOn.prices[bundle.interval]?.[currency] : addOn?.price[currency];
    }
    if (amount === undefined)
      throw unprocessable(
        'bundle_not_available',
        `The ${bundle.code} bundle is not sold in ${currency.toUpperCase()}.`,
        'bundle',
      );
  }
}

/**
 * Pure: the recurring add-ons on which the account's bundles (codes of its unrefunded bundle
 * purchases) left a lasting discount. A `once` coupon is spent on the bundle's own invoice.
 */
export function bundledAddOns(catalog: Catalog, bundleCodes: string[]): BundledAddOns {
  const bundled = new Map<string, { bundle: string; quantity: number }>();
  for (const bundle of catalog.bundles.filter((entry) => bundleCodes.includes(entry.code))) {
    if (bundle.discount.duration === 'once') continue;
    for (const item of bundle.items) {
      const code = bundleItemCode(item);
      if (isPlanItem(item) || findAddOn(catalog, code)?.type !== 'recurring') continue;
      if (bundle.discount.applies_to.includes(code))
        bundled.set(code, { bundle: bundle.code, quantity: item.quantity ?? 1 });
    }
  }
  return bundled;
}
