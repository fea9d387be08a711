import type { Entitlement } from './entitlement.rules';
import type { EntitlementCheck } from './read-entitlements';
import type { UsageReport } from './usage-report';
import type { ThresholdCrossing } from './usage.types';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function entitlementView(e: Entitlement): Record<string, unknown> {
  if (e.type === 'boolean') return { feature: e.feature, type: 'boolean', enabled: e.enabled };
  return {
    feature: e.feature,
    type: 'metered',
    kind: e.kind,
    limit: e.limit,
    used: e.used,
    remaining: e.remaining,
    percent: e.percent,
    period_start: iso(e.period.start),
    period_end: iso(e.period.end),
  };
}

export function entitlementCheckView(check: EntitlementCheck): Record<string, unknown> {
  const upgrade = check.upgrade
    ? {
        plan: check.upgrade.plan,
        add_on: check.upgrade.addOn ? { code: check.upgrade.addOn.code, quantity: check.upgrade.addOn.quantity } : null,
      }
    : null;
  return {
    object: 'entitlement',
    ...entitlementView(check.entitlement),
    quantity: check.quantity,
    allowed: check.allowed,
    upgrade,
  };
}

export function crossingView(c: ThresholdCrossing): Record<string, unknown> {
  return {
    feature: c.feature,
    threshold: c.threshold,
    used: c.used,
    limit: c.limit,
    projected_total: c.projectedTotal,
    projected_limit_at: iso(c.projectedLimitAt),
    period_start: iso(c.period.start),
    period_end: iso(c.period.end),
    crossed_at: iso(c.crossedAt),
  };
}

export function usageReportView(report: UsageReport): Record<string, unknown> {
  return {
    object: 'usage_report',
    account_id: report.accountId,
    plan: report.planCode,
    period_start: iso(report.period.start),
    period_end: iso(report.period.end),
    as_of: iso(report.asOf),
    entitlements: report.entitlements.map(entitlementView),
    projections: report.projections.map((p) => ({
      feature: p.feature,
      used: p.used,
      limit: p.limit,
      elapsed: Math.round(p.elapsed * 10000) / 10000,
      projected_total: p.projectedTotal,
      projected_limit_at: iso(p.projectedLimitAt),
    })),
    crossings: report.crossings.map(crossingView),
  };
}
