import { findAddOn, findPlan, tierOf } from '../catalog/catalog-lookup';
import type { Catalog, Interval } from '../catalog/catalog.types';
import { priceLookupKey } from '../catalog/sync/desired-stripe-catalog';
import { unprocessable } from '../shared/errors';
import type { SubscriptionState } from './subscription-state';

/** What the caller asks for (POST /v1/quotes). */
export interface ChangeRequest {
  plan?: string;
  interval?: Interval;
  /** Recurring add-ons: the quantity wanted in total (0 removes it). */
  add_ons?: Array<{ code: string; quantity: number }>;
  bundle?: string;
  /** Free → paid: start the plan's trial (absent: when the plan has one this account never had). */
  trial?: boolean;
}

/** One recurring item the subscription should hold after the change. */
export interface TargetItem {
  kind: 'plan' | 'add_on';
  code: string;
  quantity: number;
  lookupKey: string;
  /** The Stripe subscription item it replaces, when it already exists. */
  existingItemId?: string;
}

export type ChangeDirection = 'upgrade' | 'interval_change' | 'add_ons' | 'downgrade';

/** The decision: how a request is carried out. Pure data, no Stripe ids beyond existing item ids. */
export type ChangePlan =
  | { kind: 'update'; direction: Exclude<ChangeDirection, 'downgrade'>; target: TargetItem[]; removedItemIds: string[] }
  | { kind: 'schedule'; direction: 'downgrade'; target: TargetItem[] }
  | { kind: 'checkout'; target: TargetItem[] }
  | { kind: 'one_time'; items: OneTimeItem[] }
  | { kind: 'cancel' };

/** A one-time add-on (training, set-up) bought outright at full price. */
export interface OneTimeItem {
  code: string;
  quantity: number;
  lookupKey: string;
}

const keyOf = (item: { kind: 'plan' | 'add_on'; code: string }) => `${item.kind}:${item.code}`;

/**
 * Pure: decides how a plan/add-on request changes a subscription. Upgrades, interval
 * lengthening and add-on changes are paid now (prorated); downgrades and interval
 * shortening wait for the period end; a free account moving to a paid plan goes through
 * Checkout; moving to the free plan is a cancellation at period end.
 */
export function planChange(
  catalog: Catalog,
  current: SubscriptionState | null,
  request: ChangeRequest,
  bundled: BundledAddOns = new Map(),
): ChangePlan {
  if (request.bundle !== undefined) throw new Error('bundles are decided by bundleChange (bundle-change.rules.ts)');
  const oneTime = oneTimeItems(catalog, request);
  if (oneTime.length > 0) return { kind: 'one_time', items: oneTime };
  const currentPlan = current?.planCode ?? freePlanCode(catalog);
  const planCode = request.plan ?? currentPlan;
  const plan = findPlan(catalog, planCode);
  if (!plan) throw unprocessable('unknown_plan', `There is no plan "${planCode}".`, 'plan');
  if (!plan.prices) {
    if (!current) throw unprocessable('nothing_to_change', 'The account is already on the free plan.', 'plan');
    if (request.add_ons?.length) throw unprocessable('add_on_not_available', 'Add-ons need a paid plan.', 'add_ons');
    return { kind: 'cancel' };
  }
  const interval: Interval = request.interval ?? current?.interval ?? 'month';
  if (!plan.prices[interval])
    throw unprocessable('interval_not_available', `The ${planCode} plan is not sold per ${interval}.`, 'interval');

  const target = targetItems(catalog, current, planCode, interval, request.add_ons ?? []);
  if (!current) return { kind: 'checkout', target };
  assertBundleQuantities(current, request, bundled);

  const unchanged =
    planCode === currentPlan &&
    interval === current.interval &&
    target.length === current.items.length &&
    target.every((item) => current.items.some((had) => keyOf(had) === keyOf(item) && had.quantity === item.quantity));
  if (unchanged) throw unprocessable('nothing_to_change', 'The subscription already looks like this.');

  const tierDelta = tierOf(catalog, planCode) - tierOf(catalog, currentPlan);
  const shorter = current.interval === 'year' && interval === 'month';
  if (tierDelta < 0 || (tierDelta === 0 && shorter)) return { kind: 'schedule', direction: 'downgrade', target };
  if (shorter)
    throw unprocessable(
      'mixed_change',
      'Moving to a higher plan on a shorter interval is two changes: upgrade first, then change the interval.',
      'interval',
    );
  if (current.scheduleId)
    throw unprocessable(
      'change_scheduled',
      'A downgrade is scheduled for the renewal; cancel it before changing the subscription now.',
    );
  const direction = tierDelta > 0 ? 'upgrade' : interval !== current.interval ? 'interval_change' : 'add_ons';
  const kept = new Set(target.map((item) => item.existingItemId).filter(Boolean));
  const removedItemIds = current.items.filter((item) => !kept.has(item.id)).map((item) => item.id);
  return { kind: 'update', direction, target, removedItemIds };
}

/** Recurring add-ons a bundle's lasting discount sits on: add-on code → the bundle and the quantity it covers. */
export type BundledAddOns = ReadonlyMap<string, { bundle: string; quantity: number }>;

/**
 * NOTE: a bundle's discount stays on its subscription item (item-level `discounts`, or Checkout's
 * coupon restricted by `applies_to`), and Stripe discounts the item's whole quantity: raising it
 * would discount every added unit too. So a bundled add-on's quantity may go down, never up.
 */
function assertBundleQuantities(current: SubscriptionState, request: ChangeRequest, bundled: BundledAddOns): void {
  for (const [index, entry] of (request.add_ons ?? []).entries()) {
    const held = bundled.get(entry.code);
    const had = current.items.find((item) => item.kind === 'add_on' && item.code === entry.code);
    if (held && had && entry.quantity > had.quantity)
      throw unprocessable(
        'bundle_quantity_fixed',
        `${entry.code} came with the ${held.bundle} bundle, whose discount covers ${held.quantity} and would reach every one added to it; more ${entry.code} must be bought another way (ask support).`,
        `add_ons[${index}].quantity`,
      );
  }
}

/**
 * One-time add-ons are bought on their own (an invoice charged now), never mixed with a
 * subscription change: the two are charged and refunded differently.
 */
function oneTimeItems(catalog: Catalog, request: ChangeRequest): OneTimeItem[] {
  const entries = (request.add_ons ?? []).map((entry, index) => ({ entry, index }));
  const oneTime = entries.filter(({ entry }) => findAddOn(catalog, entry.code)?.type === 'one_time');
  if (oneTime.length === 0) return [];
  if (oneTime.length !== entries.length || request.plan !== undefined || request.interval !== undefined)
    throw unprocessable(
      'mixed_change',
      'Buy one-time add-ons on their own, apart from plan or recurring add-on changes.',
      'add_ons',
    );
  return oneTime.map(({ entry, index }) => {
    if (entry.quantity < 1) throw unprocessable('invalid_quantity', 'Buy at least one.', `add_ons[${index}].quantity`);
    return { code: entry.code, quantity: entry.quantity, lookupKey: priceLookupKey('addon', entry.code, 'one_time') };
  });
}

/** An add-on without `available_on` is offered on every paid plan. */
function offeredOn(addOn: { available_on?: string[] }, planCode: string): boolean {
  return addOn.available_on === undefined || addOn.available_on.includes(planCode);
}

export function freePlanCode(catalog: Catalog): string {
  return catalog.plans.find((plan) => !plan.prices)?.code ?? catalog.plans[0]?.code ?? 'free';
}

/** The plan item plus every recurring add-on still allowed on the target plan, with the requested quantities. */
export function targetItems(
  catalog: Catalog,
  current: SubscriptionState | null,
  planCode: string,
  interval: Interval,
  addOns: NonNullable<ChangeRequest['add_ons']>,
): TargetItem[] {
  const existing = (kind: 'plan' | 'add_on', code: string) =>
    current?.items.find((item) => item.kind === kind && (kind === 'plan' || item.code === code))?.id;
  const items: TargetItem[] = [
    {
      kind: 'plan',
      code: planCode,
      quantity: 1,
      lookupKey: priceLookupKey('plan', planCode, interval),
      existingItemId: existing('plan', planCode),
    },
  ];
  const wanted = new Map<string, number>();
  for (const item of current?.items ?? []) if (item.kind === 'add_on') wanted.set(item.code, item.quantity);
  addOns.forEach((entry, index) => {
    const addOn = findAddOn(catalog, entry.code);
    const param = `add_ons[${index}].code`;
    if (!addOn) throw unprocessable('unknown_add_on', `There is no add-on "${entry.code}".`, param);
    if (!offeredOn(addOn, planCode))
      throw unprocessable('add_on_not_available', `${entry.code} is not available on the ${planCode} plan.`, param);
    if (entry.quantity > 1 && !addOn.per_unit)
      throw unprocessable('invalid_quantity', `${entry.code} is bought once.`, `add_ons[${index}].quantity`);
    wanted.set(entry.code, entry.quantity);
  });
  for (const [code, quantity] of wanted) {
    const addOn = findAddOn(catalog, code);
    // NOTE: an add-on the new plan includes or does not offer is dropped (its unused time is credited by Stripe).
    if (quantity <= 0 || addOn?.type !== 'recurring' || !offeredOn(addOn, planCode)) continue;
    if (!addOn.prices[interval])
      throw unprocessable('interval_not_available', `${code} is not sold per ${interval}.`, 'interval');
    items.push({
      kind: 'add_on',
      code,
      quantity,
      lookupKey: priceLookupKey('addon', code, interval),
      existingItemId: existing('add_on', code),
    });
  }
  return items;
}
