import { toCsv, type CsvCell } from '../shared/http/csv';
import type { FunnelRow } from './funnel';
import type { RevenueReport } from './revenue-report';
import type { REVENUE_TABLES } from './analytics.validators';

const FUNNEL_COLUMNS: (keyof FunnelRow)[] = [
  'group',
  'attributed',
  'impressions',
  'clicks',
  'quotes',
  'paid_changes',
  'refunds',
  'accounts_shown',
  'accounts_clicked',
  'accounts_converted',
  'click_rate',
  'conversion_rate',
];

/** The funnel's rows as CSV, the very figures of the JSON answer (rates as fractions, not percentages). */
export function funnelCsv(rows: readonly FunnelRow[]): string {
  return toCsv(
    FUNNEL_COLUMNS,
    rows.map((row) => FUNNEL_COLUMNS.map((column) => row[column])),
  );
}

/** One table of the revenue report as CSV; amounts stay integer minor units beside their currency. */
export function revenueCsv(report: RevenueReport, table: (typeof REVENUE_TABLES)[number]): string {
  const rows = report[table] as readonly object[];
  const header = rows[0] ? Object.keys(rows[0]) : ['currency'];
  return toCsv(
    header,
    rows.map((row) => header.map((column) => (row as Record<string, CsvCell>)[column])),
  );
}
