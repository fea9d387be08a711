/** One step of one account towards a purchase, already attributed to the prompt that led to it. */
export interface FunnelEvent {
  stage: 'impression' | 'click' | 'quote' | 'paid_change' | 'refund';
  at: Date;
  account: string;
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
  /** False for the one row of conversions no click led to (a SaaS calling the API without the widget). */
  attributed: boolean;
  impressions: number;
  clicks: number;
  quotes: number;
  paid_changes: number;
  refunds: number;
  /** Distinct accounts shown a prompt of the group in the period. */
  accounts_shown: number;
  /** Of those, the accounts that also clicked one in the period. */
  accounts_clicked: number;
  /** Of those, the accounts with a paid change attributed to the group in the period. */
  accounts_converted: number;
  /** accounts_clicked ÷ accounts_shown: a share of a set in its superset, so 0 ≤ rate ≤ 1; null when nobody was shown. */
  click_rate: number | null;
  /** accounts_converted ÷ accounts_clicked: 0 ≤ rate ≤ 1; null when nobody clicked. */
  conversion_rate: number | null;
}

/** The group of quotes, paid changes and refunds no click led to. */
export const UNATTRIBUTED = '(unattributed)';

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

interface Group {
  row: FunnelRow;
  shown: Set<string>;
  clicked: Set<string>;
  converted: Set<string>;
}

function groupKey(event: FunnelEvent, dimension: FunnelDimension, interval: FunnelInterval): string | null {
  if (event.offer === null) return UNATTRIBUTED;
  if (dimension === 'offer') return event.offer;
  if (dimension === 'placement') return event.placement ?? 'unknown';
  if (dimension === 'country') return event.country;
  if (dimension === 'experiment') return event.experiment;
  return periodOf(event.at, interval);
}

const emptyRow = (group: string): FunnelRow => ({
  group,
  attributed: group !== UNATTRIBUTED,
  impressions: 0,
  clicks: 0,
  quotes: 0,
  paid_changes: 0,
  refunds: 0,
  accounts_shown: 0,
  accounts_clicked: 0,
  accounts_converted: 0,
  click_rate: null,
  conversion_rate: null,
});

/**
 * The funnel impressions → clicks → quotes → paid changes → refunds, grouped by one dimension.
 * Counts are events; the rates are shares of accounts (see FunnelRow), so neither can pass 100%
 * however clicks, repeat purchases and the period's edges fall. Conversions no click led to are one
 * row of their own (`(unattributed)`, last), except by experiment, which measures prompts only.
 */
export function buildFunnel(
  events: readonly FunnelEvent[],
  dimension: FunnelDimension,
  interval: FunnelInterval = 'month',
): FunnelRow[] {
  const groups = new Map<string, Group>();
  for (const event of events) {
    const key = groupKey(event, dimension, interval);
    if (key === null || (dimension === 'experiment' && key === UNATTRIBUTED)) continue;
    let group = groups.get(key);
    if (!group)
      groups.set(key, (group = { row: emptyRow(key), shown: new Set(), clicked: new Set(), converted: new Set() }));
    group.row[STAGE_FIELD[event.stage]] += 1;
    if (event.stage === 'impression') group.shown.add(event.account);
    if (event.stage === 'click') group.clicked.add(event.account);
    if (event.stage === 'paid_change') group.converted.add(event.account);
  }
  return [...groups.values()]
    .map(({ row, shown, clicked, converted }) => {
      const clickers = [...clicked].filter((account) => shown.has(account));
      const converters = clickers.filter((account) => converted.has(account));
      if (!row.attributed) return row;
      return {
        ...row,
        accounts_shown: shown.size,
        accounts_clicked: clickers.length,
        accounts_converted: converters.length,
        click_rate: shown.size > 0 ? clickers.length / shown.size : null,
        conversion_rate: clickers.length > 0 ? converters.length / clickers.length : null,
      };
    })
    .sort((a, b) => Number(b.attributed) - Number(a.attributed) || a.group.localeCompare(b.group));
}
