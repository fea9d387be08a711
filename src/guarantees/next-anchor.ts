const DAY = 86_400;

export interface Recurring {
  /** `day`, `week`, `month` or `year` (anything else counts as months). */
  interval: string;
  interval_count: number;
}

/**
 * Pure: the first billing date after `now` of a cycle anchored at `anchor` (unix seconds), the
 * way Stripe counts months: the anchor's day of the month, clamped to the month's last day
 * (31 January → 28 February → 31 March), each step counted from the anchor, never from a clamped date.
 */
export function nextAnchor(anchor: number, recurring: Recurring, now: number): number {
  for (let step = 0; ; step += 1) {
    const date = shifted(anchor, recurring, step);
    if (date > now) return date;
  }
}

function shifted(anchor: number, recurring: Recurring, step: number): number {
  const count = recurring.interval_count * step;
  if (recurring.interval === 'day') return anchor + count * DAY;
  if (recurring.interval === 'week') return anchor + count * 7 * DAY;
  const months = recurring.interval === 'year' ? count * 12 : count;
  const at = new Date(anchor * 1000);
  const month = at.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(at.getUTCFullYear(), month + 1, 0)).getUTCDate();
  const day = Math.min(at.getUTCDate(), lastDay);
  const time = anchor % DAY;
  return Date.UTC(at.getUTCFullYear(), month, day) / 1000 + time;
}
