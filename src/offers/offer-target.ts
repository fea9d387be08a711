import type { Interval } from '../catalog/catalog.types';
import { findAddOn, findBundle, findPlan, tierOf } from '../catalog/catalog-lookup';
import { bundlePrice } from '../catalog/bundle-price';
import { annualSaving, intervalAmount } from '../catalog/price-lists';
import type { OfferSpec } from './offer-rules.types';
import type { EvaluationInput, OfferTarget } from './offers.types';
import { heldCodes, addOnSellable } from './offer-holdings';
import { smallestUpgrade } from '../catalog/smallest-upgrade';
import { recommendedAddOn } from './recommended-add-on';

export interface TargetContext
  extends Pick<
    EvaluationInput,
    'catalog' | 'subscription' | 'usage' | 'purchases' | 'account' | 'coPurchases' | 'feature'
  > {
  currency: string;
  regions: readonly string[];
  /** The feature that triggered the prompt (a gate's feature, a usage threshold's feature). */
  triggerFeature?: string;
}

/**
 * What exactly a rule offers this account, priced in its currency; null when it has nothing
 * honest to offer (already held, not sold in this currency, or a downgrade).
 */
export function resolveTarget(spec: OfferSpec, ctx: TargetContext): OfferTarget | null {
  const currentPlan = ctx.subscription?.planCode ?? 'free';
  const interval: Interval = ctx.subscription?.interval ?? 'month';
  switch (spec.type) {
    case 'smallest_plan_that_fits': {
      const feature = ctx.triggerFeature;
      const usage = Object.fromEntries(ctx.usage.features.map((u) => [u.feature, u.used]));
      const plan = smallestUpgrade({ plans: ctx.catalog.plans, currentPlan, feature, usage });
      return plan ? planTarget(plan.code, spec.interval ?? interval, ctx) : null;
    }
    case 'plan':
      if (tierOf(ctx.catalog, spec.plan) <= tierOf(ctx.catalog, currentPlan)) return null;
      return planTarget(spec.plan, spec.interval ?? interval, ctx);
    case 'annual_switch':
      if (!ctx.subscription || ctx.subscription.interval !== 'month') return null;
      return planTarget(currentPlan, 'year', ctx);
    case 'add_on':
      return addOnTarget(spec.add_on, spec.quantity, ctx);
    case 'recommended_add_on': {
      const code = recommendedAddOn(ctx);
      return code ? addOnTarget(code, 1, ctx) : null;
    }
    case 'bundle':
      return bundleTarget(spec.bundle, ctx);
  }
}

function planTarget(code: string, interval: Interval, ctx: TargetContext): OfferTarget | null {
  const plan = findPlan(ctx.catalog, code);
  const amount = plan?.prices ? intervalAmount(plan.prices, interval, ctx.currency) : undefined;
  if (!plan || amount === undefined || amount === 0) return null;
  const current = ctx.subscription ? findPlan(ctx.catalog, ctx.subscription.planCode) : undefined;
  const currentInterval = ctx.subscription?.interval ?? 'month';
  const currentPrice = (current && intervalAmount(current.prices, currentInterval, ctx.currency)) ?? 0;
  const currentAmount = currentInterval === 'year' ? Math.round(currentPrice / 12) : currentPrice;
  const saving = interval === 'year' ? annualSaving(plan.prices, ctx.currency) : undefined;
  return {
    type: 'plan',
    code,
    interval,
    amount,
    currency: ctx.currency,
    currentAmount,
    annualSaving: saving !== undefined && saving > 0 ? saving : null,
  };
}

function addOnTarget(code: string, quantity: number, ctx: TargetContext): OfferTarget | null {
  const addOn = findAddOn(ctx.catalog, code);
  if (!addOn || !addOnSellable(addOn, ctx)) return null;
  if (addOn.type === 'one_time') {
    const amount = addOn.price[ctx.currency];
    if (amount === undefined) return null;
    return { type: 'addon', code, quantity, interval: 'one_time', amount: amount * quantity, currency: ctx.currency };
  }
  // NOTE: Stripe bills every item of a subscription on one interval: a yearly-only add-on cannot join a monthly plan.
  const interval: Interval = ctx.subscription?.interval ?? 'month';
  const unit = addOn.prices[interval]?.[ctx.currency];
  if (unit === undefined) return null;
  return { type: 'addon', code, quantity, interval, amount: unit * quantity, currency: ctx.currency };
}

function bundleTarget(code: string, ctx: TargetContext): OfferTarget | null {
  const bundle = findBundle(ctx.catalog, code);
  if (!bundle) return null;
  const held = heldCodes(ctx);
  const currentTier = tierOf(ctx.catalog, ctx.subscription?.planCode ?? 'free');
  for (const item of bundle.items) {
    // NOTE: a bundle is an upgrade: its plan must be above the current one and none of its add-ons held.
    if ('plan' in item && tierOf(ctx.catalog, item.plan) <= currentTier) return null;
    if ('add_on' in item && held.has(item.add_on)) return null;
    if ('add_on' in item) {
      const addOn = findAddOn(ctx.catalog, item.add_on);
      if (addOn?.type === 'one_time' && !addOnSellable(addOn, ctx, { ignorePlan: true })) return null;
    }
  }
  try {
    const price = bundlePrice(ctx.catalog, bundle, ctx.currency);
    return {
      type: 'bundle',
      code,
      interval: bundle.interval,
      amount: price.total,
      currency: ctx.currency,
      regular: price.regular,
      discount: price.discount,
      renewal: price.renewal,
      percentOff: bundle.discount.percent_off,
    };
  } catch {
    return null; // not sold in this currency
  }
}
