/** One step of one account towards a purchase, already attributed to the prompt that led to it. */
export interface FunnelEvent {
  stage: 'impression' | 'click' | 'quote' | 'paid_change' | 'refund';
  at: Date;
  /** The offer rule and placement of the (attributed) prompt; null when no click led to it. */
  offer: string | null;
  placement: string | null;
  country: string;
  /** `experiment/variant` of the (attributed) prompt: the variant travels with the quote, the change and the refund. */
  experiment: string | null;
}

export type FunnelDimension = 'offer' | 'placement' | 'country' | 'period' | 'experiment';
export type FunnelInterval = 'day' | 'week' | 'month';

export interface FunnelRow {
  group: string;
  impressions: number;
  clicks: number;
  quotes: number;
  paid_changes: number;
  refunds: number;
  click_rate: number | null;
  conversion_rate: number | null;
}

const STAGE_FIELD = {
  impression: 'impressions',
  click: 'clicks',
  quote: 'quotes',
  paid_change: 'paid_changes',
  refund: 'refunds',
} as const;

/** The start of the day, ISO week (Monday) or month an instant falls in, UTC, as a date. */
export function periodOf(at: Date, interval: FunnelInterval): string {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), interval === 'month' ? 1 : at.getUTCDate()));
  if (interval === 'week') d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

/**
 * The funnel impressions → clicks → quotes → paid changes → refunds, grouped by one dimension.
 * Events no prompt led to (offer null) are left out: the funnel measures offers.
 */
export function buildFunnel(
  events: readonly FunnelEvent[],
  dimension: FunnelDimension,
  interval: FunnelInterval = 'month',
): FunnelRow[] {
  const groups = new Map<string, FunnelRow>();
  for (const event of events) {
    if (event.offer === null || (dimension === 'experiment' && event.experiment === null)) continue;
    const key =
      dimension === 'offer'
        ? event.offer
        : dimension === 'placement'
          ? (event.placement ?? 'unknown')
          : dimension === 'country'
            ? event.country
            : dimension === 'experiment'
              ? (event.experiment as string)
              : periodOf(event.at, interval);
    let row = groups.get(key);
    if (!row) {
      row = {
        group: key,
        impressions: 0,
        clicks: 0,
        quotes: 0,
        paid_changes: 0,
        refunds: 0,
        click_rate: null,
        conversion_rate: null,
      };
      groups.set(key, row);
    }
    row[STAGE_FIELD[event.stage]] += 1;
  }
  return [...groups.values()]
    .map((row) => ({
      ...row,
      click_rate: row.impressions > 0 ? row.clicks / row.impressions : null,
      conversion_rate: row.clicks > 0 ? row.paid_changes / row.clicks : null,
    }))
    .sort((a, b) => a.group.localeCompare(b.group));
}
