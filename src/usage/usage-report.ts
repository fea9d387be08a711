import type { Period } from './billing-period';
import type { Entitlement } from './entitlement.rules';
import { projectUsage, type UsageProjection } from './project-usage';
import { readEntitlements, type EntitlementDeps } from './read-entitlements';
import type { UsageReadRepository } from './usage-read.repository';
import type { ThresholdCrossing } from './usage.types';

export interface FeatureProjection extends UsageProjection {
  feature: string;
  used: number;
  limit: number | null;
}

export interface UsageReport {
  accountId: string;
  planCode: string;
  period: Period;
  asOf: Date;
  entitlements: Entitlement[];
  /** Where each metered feature is heading this period at its current pace. */
  projections: FeatureProjection[];
  /** Threshold crossings, newest first (all periods, up to 100). */
  crossings: ThresholdCrossing[];
}

/** Entitlements, projections and recorded crossings of one account: what offers and analytics read. */
export async function usageReport(
  deps: EntitlementDeps & { reads: UsageReadRepository },
  accountId: string,
): Promise<UsageReport | null> {
  const current = await readEntitlements(deps, accountId);
  if (!current) return null;
  const projections: FeatureProjection[] = [];
  for (const e of current.entitlements) {
    if (e.type !== 'metered') continue;
    const projection = projectUsage({
      used: e.used,
      limit: e.limit ?? 'unlimited',
      period: e.period,
      at: current.asOf,
      kind: e.kind,
    });
    projections.push({ feature: e.feature, used: e.used, limit: e.limit, ...projection });
  }
  const crossings = await deps.reads.crossings({ accountId });
  return {
    accountId,
    planCode: current.planCode,
    period: current.period,
    asOf: current.asOf,
    entitlements: current.entitlements,
    projections,
    crossings,
  };
}
