import { ArrayLiteral } from '../shared/database/pg-array-literal';
import type { MeteredEvent } from './usage.types';

/**
 * The ingest statement's parameters, built in Node for the fewest bytes and the least work in
 * PostgreSQL (usage-ingest.repository.ts holds the statements that read them).
 */

/** Every (account, feature) of a batch with its limit (null: unlimited) and thresholds, index by index. */
export interface BatchLimits {
  accountIds: string[];
  features: string[];
  limits: Array<number | null>;
  /** Comma-separated percents, such as "50,80,100". */
  thresholds: string[];
}

/** The statement's event columns, $1–$7, as array literals built in one pass (pg-array-literal.ts). */
export function eventColumns(events: readonly MeteredEvent[]): string[] {
  const columns = Array.from({ length: 7 }, () => new ArrayLiteral());
  const [accounts, ids, features, actions, quantities, timestamps, periods] = columns as [
    ArrayLiteral,
    ArrayLiteral,
    ArrayLiteral,
    ArrayLiteral,
    ArrayLiteral,
    ArrayLiteral,
    ArrayLiteral,
  ];
  // NOTE: the periods of a batch are few: each one's ISO string is made once.
  let lastPeriodMs = NaN;
  let lastPeriodIso = '';
  for (const e of events) {
    accounts.addText(e.accountId);
    ids.addText(e.eventId);
    features.addText(e.feature);
    actions.addText(e.action);
    quantities.addInteger(e.quantity);
    timestamps.addText(e.timestamp);
    if (e.period.start.getTime() !== lastPeriodMs) {
      lastPeriodMs = e.period.start.getTime();
      lastPeriodIso = e.period.start.toISOString();
    }
    periods.addText(lastPeriodIso);
  }
  return columns.map(String);
}

/**
 * The events in (account, event id) order, as the partitions' unique keys hold them. NOTE: sorted
 * here rather than by the statement (ORDER BY cost PostgreSQL about a millisecond per batch of
 * 500); ids are ASCII (usage.validators.ts), so JavaScript's order is the C collation's.
 */
export function sortedByKey(events: readonly MeteredEvent[]): MeteredEvent[] {
  return [...events].sort((a, b) =>
    a.accountId < b.accountId
      ? -1
      : a.accountId > b.accountId
        ? 1
        : a.eventId < b.eventId
          ? -1
          : a.eventId > b.eventId
            ? 1
            : 0,
  );
}

/** $8 of the guarded statement: {"<account> <feature>": [limit or null, [percents]]}, one jsonb value. */
export function batchLimitsJson(limits: BatchLimits): string {
  const entries = limits.accountIds.map(
    (accountId, i) =>
      `${JSON.stringify(`${accountId} ${limits.features[i]}`)}:[${limits.limits[i] ?? 'null'},[${limits.thresholds[i]}]]`,
  );
  return `{${entries.join(',')}}`;
}
