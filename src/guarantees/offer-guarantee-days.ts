import { findAddOn, findBundle } from '../catalog/catalog-lookup';
import { bundleItemCode, isPlanItem, type Catalog } from '../catalog/catalog.types';
import type { OfferTarget } from '../offers/offers.types';
import type { GuaranteeKind, GuaranteePolicies, PriorClaim } from './guarantee.types';
import { windowDays } from './guarantee-windows';
import { promisedGuarantee, type PromisedGuarantee, type Prospect } from './promised-guarantee';

/** Pure: which policy covers an offer: a plan or bundle is an upgrade; an add-on recurring or one-time. */
export function offerKind(target: OfferTarget): GuaranteeKind {
  if (target.type === 'addon') return target.interval === 'one_time' ? 'one_time' : 'recurring_add_on';
  return 'plan_upgrade';
}

/** What the account would buy by taking an offer, in guarantee terms. */
export interface OfferSituation {
  /** The account's current plan (`free` without a subscription). */
  planCode: string;
  priorClaims: readonly PriorClaim[];
  catalog: Catalog;
}

/**
 * Pure: the purchase an offer leads to, as billing will record it: the current plan on another
 * interval is an interval change; a bundle buys its plan (else its first recurring add-on).
 */
export function offerProspect(target: OfferTarget, situation: OfferSituation): Prospect {
  if (target.type === 'plan')
    return {
      category: target.code === situation.planCode ? 'interval_change' : 'plan_upgrade',
      product: `plan:${target.code}`,
    };
  if (target.type === 'addon') return { category: offerKind(target), product: `add_on:${target.code}` };
  return bundleProspect(situation.catalog, target.code);
}

/** Pure: what buying a bundle is, as billing records it: its plan, else its first recurring add-on. */
export function bundleProspect(catalog: Catalog, code: string): Prospect {
  const items = findBundle(catalog, code)?.items ?? [];
  const plan = items.find(isPlanItem);
  if (plan) return { category: 'plan_upgrade', product: `plan:${plan.plan}` };
  const recurring = items.find((item) => findAddOn(catalog, bundleItemCode(item))?.type === 'recurring');
  return { category: 'recurring_add_on', product: `add_on:${recurring ? bundleItemCode(recurring) : 'unknown'}` };
}

/**
 * The offers engine's guarantees hook: what a quote for that purchase would announce to this
 * account — nothing where the rules would refuse it (an interval change, a product already
 * refunded, the cycling limit), else the window with its conditions.
 */
export function offerGuarantee(
  policies: GuaranteePolicies | undefined,
): (target: OfferTarget, account: { country: string }, situation: OfferSituation, now: Date) => PromisedGuarantee {
  return (target, account, situation, now) =>
    promisedGuarantee({
      policies,
      country: account.country,
      priorClaims: situation.priorClaims,
      prospect: offerProspect(target, situation),
      now,
    });
}

/**
 * The window alone for a kind of offer, before anything is known of the account's history
 * (the policy's days, raised to the regional minimum when the account's country is known).
 */
export function offerGuaranteeDays(
  policies: GuaranteePolicies | undefined,
): (target: OfferTarget, account?: { country: string }) => number | null {
  return (target, account) => windowDays(policies, offerKind(target), account?.country);
}
