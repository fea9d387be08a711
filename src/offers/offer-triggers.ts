import type { OfferTrigger } from './offer-rules.types';
import type { EvaluationInput, OfferReason } from './offers.types';

const DAY_MS = 24 * 3600 * 1000;

export interface TriggerMatch {
  reason: OfferReason;
  /** A real end of the offer (seasonal windows). */
  endsAt: Date | null;
  /** The period the prompt belongs to (its id is stable within it). */
  periodKey: string;
}

type Context = Pick<
  EvaluationInput,
  'account' | 'subscription' | 'usage' | 'purchases' | 'now' | 'placement' | 'feature'
>;

const daysBetween = (from: Date, to: Date) => (to.getTime() - from.getTime()) / DAY_MS;
const billingPeriodKey = (ctx: Context) => ctx.usage.period.start.toISOString();
/** The feature's own current period (a monthly limit on a yearly plan resets monthly), else the billing period. */
const featurePeriod = (ctx: Context, feature: string) =>
  ctx.usage.features.find((f) => f.feature === feature)?.period ?? ctx.usage.period;
const featurePeriodKey = (ctx: Context, feature: string) => featurePeriod(ctx, feature).start.toISOString();

/** Whether a rule's trigger holds now, and in plain facts why. Pure. */
export function matchTrigger(trigger: OfferTrigger, ctx: Context): TriggerMatch | null {
  switch (trigger.type) {
    case 'usage_threshold':
      return usageThreshold(trigger, ctx);
    case 'feature_gate':
      return featureGate(trigger, ctx);
    case 'days_after_signup': {
      const days = daysBetween(ctx.account.signedUpAt, ctx.now);
      if (days < trigger.days || days >= trigger.days + trigger.within_days) return null;
      return {
        reason: { trigger: trigger.type, days: trigger.days },
        endsAt: null,
        periodKey: `signup+${trigger.days}`,
      };
    }
    case 'days_after_purchase': {
      const at = purchasedAt(trigger.purchase, ctx);
      if (!at) return null;
      const days = daysBetween(at, ctx.now);
      if (days < trigger.days || days >= trigger.days + trigger.within_days) return null;
      return {
        reason: { trigger: trigger.type, days: trigger.days },
        endsAt: null,
        periodKey: `purchase@${at.toISOString()}`,
      };
    }
    case 'days_before_renewal': {
      const sub = ctx.subscription;
      if (!sub || sub.cancelAtPeriodEnd) return null;
      const left = daysBetween(ctx.now, sub.currentPeriodEnd);
      if (left <= 0 || left > trigger.days) return null;
      return {
        reason: { trigger: trigger.type, days: Math.ceil(left) },
        endsAt: null,
        periodKey: billingPeriodKey(ctx),
      };
    }
    case 'monthly_to_annual': {
      const sub = ctx.subscription;
      if (!sub || sub.interval !== 'month' || sub.cancelAtPeriodEnd) return null;
      if (daysBetween(sub.startedAt, ctx.now) < trigger.after_months * 30) return null;
      return { reason: { trigger: trigger.type }, endsAt: null, periodKey: billingPeriodKey(ctx) };
    }
    case 'seasonal': {
      const starts = new Date(trigger.starts_at);
      const ends = new Date(trigger.ends_at);
      if (ctx.now < starts || ctx.now >= ends) return null;
      return { reason: { trigger: trigger.type }, endsAt: ends, periodKey: `season@${starts.toISOString()}` };
    }
  }
}

function usageThreshold(
  trigger: Extract<OfferTrigger, { type: 'usage_threshold' }>,
  ctx: Context,
): TriggerMatch | null {
  const candidates = ctx.usage.features.filter(
    (f) => f.limit !== null && (trigger.feature === undefined || f.feature === trigger.feature),
  );
  let best: { feature: string; percent: number; projectedLimitAt: Date | null } | null = null;
  for (const usage of candidates) {
    // NOTE: a crossing recorded this period counts even if the level fell back (a gauge freed up).
    const periodStart = (usage.period ?? ctx.usage.period).start.getTime();
    const crossed = ctx.usage.crossings
      .filter((c) => c.feature === usage.feature && c.periodStart.getTime() === periodStart)
      .reduce((max, c) => Math.max(max, c.threshold), 0);
    const percent = Math.max(usage.percent ?? 0, crossed);
    if (percent < trigger.percent) continue;
    if (!best || percent > best.percent)
      best = { feature: usage.feature, percent, projectedLimitAt: usage.projectedLimitAt };
  }
  if (!best) return null;
  return {
    reason: {
      trigger: 'usage_threshold',
      feature: best.feature,
      percent: best.percent,
      threshold: trigger.percent,
      projectedLimitAt: best.projectedLimitAt,
    },
    endsAt: null,
    periodKey: featurePeriodKey(ctx, best.feature),
  };
}

function featureGate(trigger: Extract<OfferTrigger, { type: 'feature_gate' }>, ctx: Context): TriggerMatch | null {
  if (ctx.placement !== 'feature_gate' || !ctx.feature) return null;
  if (trigger.feature !== undefined && trigger.feature !== ctx.feature) return null;
  const metered = ctx.usage.features.find((f) => f.feature === ctx.feature);
  const blocked = metered
    ? metered.limit !== null && metered.used >= metered.limit
    : !ctx.usage.enabled.includes(ctx.feature);
  if (!blocked) return null;
  return {
    reason: {
      trigger: 'feature_gate',
      feature: ctx.feature,
      ...(metered && metered.percent !== null ? { percent: metered.percent } : {}),
    },
    endsAt: null,
    periodKey: featurePeriodKey(ctx, ctx.feature),
  };
}

function purchasedAt(purchase: { plan?: string; add_on?: string }, ctx: Context): Date | null {
  if (purchase.plan !== undefined) {
    return ctx.subscription?.planCode === purchase.plan ? ctx.subscription.planSince : null;
  }
  const bought = ctx.purchases.filter((p) => p.kind === 'add_on' && p.code === purchase.add_on);
  return bought.reduce<Date | null>((latest, p) => (!latest || p.at > latest ? p.at : latest), null);
}
