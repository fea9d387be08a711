/** A billing period: start inclusive, end exclusive. */
export interface Period {
  start: Date;
  end: Date;
}

/** What decides an account's periods: its subscription's cycle, else its sign-up anniversary. */
export interface PeriodSource {
  signedUpAt: Date;
  subscription: {
    interval: 'month' | 'year';
    billingCycleAnchor: Date;
    currentPeriodStart: Date;
    currentPeriodEnd: Date;
  } | null;
}

/**
 * `anchor` moved by whole months, keeping its day and time of day and clamping to the
 * month's last day. NOTE: like Stripe's billing cycle — an anchor on the 31st bills on
 * Feb 28/29, then on Mar 31 again: each step starts from the anchor, never from the last clamp.
 */
export function addMonthsClamped(anchor: Date, months: number): Date {
  const totalMonths = anchor.getUTCFullYear() * 12 + anchor.getUTCMonth() + months;
  const year = Math.floor(totalMonths / 12);
  const month = totalMonths - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(anchor.getUTCDate(), lastDay);
  return new Date(
    Date.UTC(
      year,
      month,
      day,
      anchor.getUTCHours(),
      anchor.getUTCMinutes(),
      anchor.getUTCSeconds(),
      anchor.getUTCMilliseconds(),
    ),
  );
}

/** The period of a cycle of `months` months from `anchor` (in either direction) that contains `at`. */
export function cyclePeriodContaining(anchor: Date, months: number, at: Date): Period {
  const monthsApart = (at.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + (at.getUTCMonth() - anchor.getUTCMonth());
  let k = Math.floor(monthsApart / months);
  while (addMonthsClamped(anchor, k * months) > at) k -= 1;
  while (addMonthsClamped(anchor, (k + 1) * months) <= at) k += 1;
  return { start: addMonthsClamped(anchor, k * months), end: addMonthsClamped(anchor, (k + 1) * months) };
}

/** How long a feature's use counts before it starts again: a counter's own catalog `period`, else the billing period. */
export type Recurrence = 'month' | 'year' | 'billing';

/** A billing period with the cycle it belongs to: the anchor it steps from and its length in months. */
interface BillingCycle {
  period: Period;
  anchor: Date;
  months: number;
}

/**
 * The account's billing period containing `at`. The mirrored current period wins when it
 * contains `at` (it is Stripe's own answer, trials included); other instants step from the
 * billing cycle anchor, so late and early events land in the period their time belongs to.
 * Instants before the subscription's cycle began (free days before an upgrade), and accounts
 * without a granting subscription, use monthly periods from the sign-up anniversary.
 */
export function periodAt(source: PeriodSource, at: Date): Period {
  return billingCycleAt(source, at).period;
}

function billingCycleAt(source: PeriodSource, at: Date): BillingCycle {
  const sub = source.subscription;
  if (sub) {
    const months = sub.interval === 'year' ? 12 : 1;
    const anchor = sub.billingCycleAnchor;
    if (at >= sub.currentPeriodStart && at < sub.currentPeriodEnd) {
      return { period: { start: sub.currentPeriodStart, end: sub.currentPeriodEnd }, anchor, months };
    }
    if (at >= anchor || at >= sub.currentPeriodEnd) {
      return { period: cyclePeriodContaining(anchor, months, at), anchor, months };
    }
  }
  return { period: cyclePeriodContaining(source.signedUpAt, 1, at), anchor: source.signedUpAt, months: 1 };
}

const RECURRENCE_MONTHS = { month: 1, year: 12 } as const;

/**
 * The period containing `at` of a feature that starts again every `recurrence`. As long as the
 * billing period: the billing period itself. Shorter (a monthly limit on a yearly plan): months
 * stepped from the billing cycle anchor — a yearly plan started on 14 March resets on the 14th,
 * clamped to the month's end for anchors on the 29th–31st — cut to the billing period, so a
 * renewal or an interval change also starts a fresh one. Longer (a yearly limit on a monthly
 * plan): years stepped from the same anchor; an instant before the anchor (a trial) keeps its
 * billing period, so no period spans the change from trial or free days to the paid cycle.
 */
export function recurringPeriodAt(source: PeriodSource, recurrence: Recurrence, at: Date): Period {
  const cycle = billingCycleAt(source, at);
  const months = recurrence === 'billing' ? cycle.months : RECURRENCE_MONTHS[recurrence];
  if (months === cycle.months) return cycle.period;
  const own = cyclePeriodContaining(cycle.anchor, months, at);
  if (months > cycle.months && at >= cycle.anchor) return own;
  return {
    start: own.start > cycle.period.start ? own.start : cycle.period.start,
    end: own.end < cycle.period.end ? own.end : cycle.period.end,
  };
}

/**
 * recurringPeriodAt with a memory of the last period found per period source (the account's context
 * object) and recurrence: a batch's events mostly fall in the period of the one before, so most
 * lookups are two comparisons. NOTE: keyed by the source object, not the account id, so that one
 * locator may live across batches: a context read again after a change (a new subscription period)
 * is a new object and is never placed by the periods of the old one; a context kept in memory
 * (usage-context-cache.ts) keeps its periods too. Forgotten with the source (a WeakMap).
 */
export class PeriodLocator {
  private readonly last = new WeakMap<
    PeriodSource,
    Map<Recurrence, { period: Period; startMs: number; endMs: number }>
  >();

  locate(source: PeriodSource, recurrence: Recurrence, at: Date): Period {
    let bySource = this.last.get(source);
    if (!bySource) this.last.set(source, (bySource = new Map()));
    const known = bySource.get(recurrence);
    const atMs = at.getTime();
    if (known && atMs >= known.startMs && atMs < known.endMs) return known.period;
    const period = recurringPeriodAt(source, recurrence, at);
    bySource.set(recurrence, { period, startMs: period.start.getTime(), endMs: period.end.getTime() });
    return period;
  }
}
