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

/**
 * The account's billing period containing `at`. The mirrored current period wins when it
 * contains `at` (it is Stripe's own answer, trials included); other instants step from the
 * billing cycle anchor, so late and early events land in the period their time belongs to.
 * Instants before the subscription's cycle began (free days before an upgrade), and accounts
 * without a granting subscription, use monthly periods from the sign-up anniversary.
 */
export function periodAt(source: PeriodSource, at: Date): Period {
  const sub = source.subscription;
  if (sub) {
    if (at >= sub.currentPeriodStart && at < sub.currentPeriodEnd) {
      return { start: sub.currentPeriodStart, end: sub.currentPeriodEnd };
    }
    if (at >= sub.billingCycleAnchor || at >= sub.currentPeriodEnd) {
      return cyclePeriodContaining(sub.billingCycleAnchor, sub.interval === 'year' ? 12 : 1, at);
    }
  }
  return cyclePeriodContaining(source.signedUpAt, 1, at);
}

/**
 * periodAt with a memory of the last period found per account: a batch's events mostly fall
 * in the period of the one before, so most lookups are two comparisons.
 */
export class PeriodLocator {
  private readonly last = new Map<string, Period>();

  locate(source: PeriodSource & { accountId: string }, at: Date): Period {
    const known = this.last.get(source.accountId);
    if (known && at >= known.start && at < known.end) return known;
    const period = periodAt(source, at);
    this.last.set(source.accountId, period);
    return period;
  }
}
