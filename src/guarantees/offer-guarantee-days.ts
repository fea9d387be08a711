import type { OfferTarget } from '../offers/offers.types';
import type { GuaranteeKind, GuaranteePolicies } from './guarantee.types';
import { windowDays } from './guarantee-windows';

/** Pure: which policy covers an offer: a plan or bundle is an upgrade; an add-on recurring or one-time. */
export function offerKind(target: OfferTarget): GuaranteeKind {
  if (target.type === 'addon') return target.interval === 'one_time' ? 'one_time' : 'recurring_add_on';
  return 'plan_upgrade';
}

/**
 * The offers engine's guarantees hook: the same window a quote for that purchase announces
 * (the policy's days, raised to the regional minimum when the account's country is known).
 */
export function offerGuaranteeDays(
  policies: GuaranteePolicies | undefined,
): (target: OfferTarget, account?: { country: string }) => number | null {
  return (target, account) => windowDays(policies, offerKind(target), account?.country);
}
