import type { DataSource } from 'typeorm';
import { subscriptionView } from '../billing/subscription-view';
import type { Catalog } from '../catalog/catalog.types';
import { notFound } from '../shared/errors';
import type { AccountEntitlements } from '../usage/read-entitlements';
import { smallerPlanAlternative, type SmallerPlanAlternative } from './cancel-alternatives.rules';
import { recordCancelPreview } from './cancellations.repository';

export interface CancelPreviewDeps {
  dataSource: DataSource;
  catalog: Catalog;
  entitlements(accountId: string): Promise<AccountEntitlements | null>;
  clock: { now(): Date };
}

export interface CancelPreview {
  subscription: Record<string, unknown>;
  cancel: { at_period_end: true; effective_at: string };
  alternatives: SmallerPlanAlternative[];
}

const LIVE = new Set(['trialing', 'active', 'past_due']);

/**
 * What cancelling does (the plan stays until the period end) and the alternatives offered beside
 * it — never instead of it: the cancel is one `POST /v1/subscription/cancel` away. Recorded, so
 * analytics can count saves. NOTE: no `pause`: the catalog has no pause option.
 */
export async function cancelPreview(deps: CancelPreviewDeps, accountId: string): Promise<CancelPreview> {
  const now = deps.clock.now();
  const subscription = await subscriptionView(deps.dataSource, accountId, now);
  if (!subscription || !LIVE.has(String(subscription.status))) throw notFound('Subscription');
  const found = await deps.entitlements(accountId);
  const used = new Map<string, number>();
  for (const entitlement of found?.entitlements ?? [])
    if (entitlement.type === 'metered') used.set(entitlement.feature, entitlement.used);
  const current = {
    plan: String(subscription.plan),
    interval: subscription.interval === 'year' ? ('year' as const) : ('month' as const),
    currency: String(subscription.currency),
  };
  const alternative = smallerPlanAlternative(deps.catalog, current, used);
  await recordCancelPreview(deps.dataSource, {
    accountId,
    subscriptionId: String(subscription.id),
    planCode: current.plan,
    alternative,
    at: now,
  });
  return {
    subscription,
    cancel: { at_period_end: true, effective_at: String(subscription.current_period_end) },
    alternatives: alternative ? [alternative] : [],
  };
}
