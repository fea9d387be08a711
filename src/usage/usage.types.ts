import type { Period, PeriodSource } from './billing-period';
import type { HeldAddOn } from './plan-limits';

/** What metering needs to know of an account: its periods' source, plan and add-ons. */
export interface AccountUsageContext extends PeriodSource {
  accountId: string;
  /** The plan of its granting subscription, else the free plan. */
  planCode: string;
  addOns: HeldAddOn[];
  /** A reverse trial not yet ended or converted (issue #20): it grants its plan until `endsAt`. */
  reverseTrial?: { planCode: string; endsAt: Date } | null;
}

/** A checked event, placed in the period of its feature (current-usage.ts) that its timestamp belongs to. */
export interface MeteredEvent {
  accountId: string;
  eventId: string;
  feature: string;
  action: 'increment' | 'set';
  quantity: number;
  occurredAt: Date;
  /** The timestamp as sent (ISO 8601), passed on to PostgreSQL as is. */
  timestamp: string;
  period: Period;
}

/** A counter row changed by a batch: its total before and after. */
export interface CounterChange {
  accountId: string;
  feature: string;
  periodStart: Date;
  before: number;
  after: number;
}

/** A gauge whose level a batch changed (a newer `set` won): its level before and now. */
export interface GaugeChange {
  accountId: string;
  feature: string;
  before: number;
  value: number;
  observedAt: Date;
}

/** One threshold of one feature reached in one period, recorded once. */
export interface ThresholdCrossing {
  accountId: string;
  feature: string;
  period: Period;
  threshold: number;
  used: number;
  limit: number;
  projectedTotal: number;
  projectedLimitAt: Date | null;
  crossedAt: Date;
}
