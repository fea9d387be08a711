import type { Catalog } from '../catalog/catalog.types';
import { notFound } from '../shared/errors';
import { periodAt, type Period } from './billing-period';
import { currentUsage } from './current-usage';
import type { EntitlementCache } from './entitlement-cache';
import { entitlementsOf, isAllowed, type Entitlement } from './entitlement.rules';
import type { PlanAllowance } from './plan-limits';
import { upgradePath, type UpgradePath } from './upgrade-path';
import type { UsageReadRepository } from './usage-read.repository';
import type { AccountUsageContext } from './usage.types';

export interface EntitlementDeps {
  catalog: Catalog;
  reads: UsageReadRepository;
  allowanceOf: (context: AccountUsageContext) => PlanAllowance;
  now: () => Date;
  /** Entitlements already read, exact through the account change feed; absent: always read. */
  cache?: EntitlementCache;
}

export interface AccountEntitlements {
  accountId: string;
  planCode: string;
  /** The current billing period; each metered entitlement carries its own period (see current-usage.ts). */
  period: Period;
  asOf: Date;
  entitlements: Entitlement[];
  context: AccountUsageContext;
  allowance: PlanAllowance;
}

export interface EntitlementCheck {
  entitlement: Entitlement;
  quantity: number;
  allowed: boolean;
  /** When not allowed: the smallest plan and/or add-on that would allow it. */
  upgrade: UpgradePath | null;
}

/** Every feature's limit and use for an account in its current period; null for an unknown account. */
export async function readEntitlements(deps: EntitlementDeps, accountId: string): Promise<AccountEntitlements | null> {
  const asOf = deps.now();
  const cached = deps.cache?.get(accountId, asOf);
  if (cached) return cached.asOf.getTime() === asOf.getTime() ? cached : { ...cached, asOf };
  const ticket = deps.cache?.ticket() ?? 0;
  const snapshot = await deps.reads.snapshot(accountId, asOf);
  if (!snapshot) return null;
  const { context } = snapshot;
  const period = periodAt(context, asOf);
  const { used, periodOf } = currentUsage({
    catalog: deps.catalog,
    source: context,
    counters: snapshot.counters,
    gauges: snapshot.gauges,
    at: asOf,
  });
  const allowance = deps.allowanceOf(context);
  const entitlements = entitlementsOf(deps.catalog, allowance, used, periodOf);
  const read = { accountId, planCode: allowance.planCode, period, asOf, entitlements, context, allowance };
  deps.cache?.store(accountId, ticket, read);
  return read;
}

/**
 * May the account use `quantity` more of `feature` now? When not, names the smallest upgrade.
 * Throws 404 for a feature the catalog does not know; null for an unknown account.
 */
export async function checkEntitlement(
  deps: EntitlementDeps,
  accountId: string,
  feature: string,
  quantity = 1,
): Promise<EntitlementCheck | null> {
  if (!deps.catalog.features.some((f) => f.code === feature)) throw notFound(`Feature "${feature}"`, 'feature');
  const all = await readEntitlements(deps, accountId);
  const entitlement = all?.entitlements.find((e) => e.feature === feature);
  if (!all || !entitlement) return null;
  const allowed = isAllowed(entitlement, quantity);
  if (allowed) return { entitlement, quantity, allowed, upgrade: null };
  const needed = entitlement.type === 'metered' ? entitlement.used + quantity : 1;
  const upgrade = upgradePath({
    catalog: deps.catalog,
    allowance: all.allowance,
    addOns: all.context.addOns,
    feature,
    needed,
    usage: usageOf(all.entitlements),
  });
  return { entitlement, quantity, allowed, upgrade };
}

/** Current use of every metered feature, as the shared smallest-upgrade rule reads it. */
function usageOf(entitlements: readonly Entitlement[]): Record<string, number> {
  const usage: Record<string, number> = {};
  for (const e of entitlements) if (e.type === 'metered') usage[e.feature] = e.used;
  return usage;
}
