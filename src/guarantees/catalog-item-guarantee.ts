import { findAddOn, findPlan, tierOf } from '../catalog/catalog-lookup';
import type { Catalog } from '../catalog/catalog.types';
import type { GuaranteePolicies, PriorClaim } from './guarantee.types';
import { bundleProspect } from './offer-guarantee-days';
import { promisedGuarantee, type PromisedGuarantee, type Prospect } from './promised-guarantee';

/** Something the comparison table lists that an account could buy. */
export interface CatalogItemRef {
  type: 'plan' | 'add_on' | 'bundle';
  code: string;
}

/** The account looking at the table, as far as its guarantees go. */
export interface GuaranteeViewer {
  country: string;
  /** The current plan; undefined on the free plan. */
  planCode?: string;
  priorClaims: readonly PriorClaim[];
}

const NOTHING_PAID_NOW: PromisedGuarantee = { eligible: false, days: null, conditions: null, reason: 'not_covered' };

/**
 * Pure: the guarantee a comparison-table column may show this account — what a quote for that
 * item would announce. The current plan (another interval of it is an interval change), a lower
 * plan (a downgrade, paid nothing now) and the free plan carry none.
 */
export function catalogItemGuarantee(
  policies: GuaranteePolicies | undefined,
  catalog: Catalog,
  viewer: GuaranteeViewer,
  now: Date,
): (item: CatalogItemRef) => PromisedGuarantee {
  return (item) => {
    const prospect = prospectOf(catalog, item, viewer.planCode);
    if (!prospect) return NOTHING_PAID_NOW;
    return promisedGuarantee({ policies, country: viewer.country, priorClaims: viewer.priorClaims, prospect, now });
  };
}

function prospectOf(catalog: Catalog, item: CatalogItemRef, currentPlan: string | undefined): Prospect | null {
  if (item.type === 'bundle') return bundleProspect(catalog, item.code);
  if (item.type === 'add_on') {
    const addOn = findAddOn(catalog, item.code);
    if (!addOn) return null;
    return { category: addOn.type === 'one_time' ? 'one_time' : 'recurring_add_on', product: `add_on:${item.code}` };
  }
  const plan = findPlan(catalog, item.code);
  if (!plan?.prices) return null;
  if (item.code === currentPlan) return { category: 'interval_change', product: `plan:${item.code}` };
  if (currentPlan !== undefined && tierOf(catalog, item.code) <= tierOf(catalog, currentPlan)) return null;
  return { category: 'plan_upgrade', product: `plan:${item.code}` };
}
