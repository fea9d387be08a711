/**
 * Billing-period arithmetic in UTC. NOTE: Stripe anchors monthly periods to the
 * billing_cycle_anchor's day of month and clamps to the month's last day (Jan 31 →
 * Feb 28 → Mar 31), so each period end is computed from the anchor, not chained.
 */
export type Interval = 'day' | 'week' | 'month' | 'year';

export function addInterval(anchor: number, interval: Interval, count: number): number {
  if (interval === 'day') return anchor + count * 86_400;
  if (interval === 'week') return anchor + count * 7 * 86_400;
  const date = new Date(anchor * 1000);
  const months = interval === 'year' ? count * 12 : count;
  const targetMonth = date.getUTCMonth() + months;
  const year = date.getUTCFullYear() + Math.floor(targetMonth / 12);
  const month = ((targetMonth % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(date.getUTCDate(), lastDay);
  return Date.UTC(year, month, day, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()) / 1000;
}

/** The end of the period containing `after`, counting whole intervals from the anchor. */
export function nextPeriodEnd(anchor: number, interval: Interval, intervalCount: number, after: number): number {
  let periods = 1;
  let end = addInterval(anchor, interval, intervalCount);
  while (end <= after) {
    periods += 1;
    end = addInterval(anchor, interval, intervalCount * periods);
  }
  return end;
}
