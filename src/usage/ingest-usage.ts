import type { Catalog } from '../catalog/catalog.types';
import { AppError } from '../shared/errors';
import { parseInput } from '../shared/http/validate';
import { PeriodLocator } from './billing-period';
import { recurrencesOf } from './current-usage';
import { planAllowance, type PlanAllowance } from './plan-limits';
import { planCrossings } from './plan-crossings';
import type { UsageContextSource } from './usage-context-cache';
import { checkUsageItem, checkWellFormedItem, type ItemCheck, type ItemError } from './usage-event.rules';
import type { BatchLimits, UsageIngestRepository } from './usage-ingest.repository';
import { thresholdsFor } from './usage-thresholds';
import { MAX_EVENTS_PER_REQUEST, usageBatchSchema, wellFormedEvent, type UsageEventInput } from './usage.validators';
import type { AccountUsageContext, MeteredEvent } from './usage.types';

export interface IngestDeps {
  catalog: Catalog;
  accounts: UsageContextSource;
  store: UsageIngestRepository;
  allowanceOf: (context: AccountUsageContext) => PlanAllowance;
  now: () => Date;
  /** Kept across batches (keyed by context object, so exact); a fresh one per batch without it. */
  periods?: PeriodLocator;
}

export interface IngestResult {
  /** Events stored by this request. */
  accepted: number;
  /** Valid events whose id was already stored (earlier, concurrently, or earlier in this batch). */
  duplicates: number;
  rejected: Array<{ index: number; error: ItemError & { type: 'invalid_request_error' } }>;
}

const tooMany = (count: number) =>
  new AppError({
    type: 'invalid_request_error',
    status: 413,
    code: 'too_many_events',
    message: `A request carries at most ${MAX_EVENTS_PER_REQUEST} events; this one has ${count}. Split it.`,
    param: 'events',
  });

/**
 * The items of a batch envelope. NOTE: parseInput walks the whole body twice (nesting depth, NUL
 * characters), allocating a path per value: more than the rest of the checks together. A body
 * that is exactly `{ events: [...] }` with only well-formed events cannot fail those walks
 * (wellFormedEvent admits known keys and NUL-free values only), so it skips them; any other body
 * takes parseInput, with its errors unchanged.
 */
function batchItems(body: unknown): { items: unknown[]; wellFormed: boolean } {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const events = (body as { events?: unknown }).events;
    if (
      Array.isArray(events) &&
      events.length > 0 &&
      Object.keys(body).join() === 'events' &&
      events.every((item) => wellFormedEvent(item) !== null)
    ) {
      return { items: events, wellFormed: true };
    }
  }
  return { items: parseInput(usageBatchSchema, body, 'body').events, wellFormed: false };
}

/** Stores a batch of usage events once each, updating counters, gauges and threshold crossings. */
export async function ingestUsage(deps: IngestDeps, body: unknown): Promise<IngestResult> {
  const raw = body as { events?: unknown } | undefined;
  if (Array.isArray(raw?.events) && raw.events.length > MAX_EVENTS_PER_REQUEST) throw tooMany(raw.events.length);
  const { items: events, wellFormed } = batchItems(body);
  const now = deps.now();
  const rejected: IngestResult['rejected'] = [];
  const reject = (index: number, error: ItemError) =>
    rejected.push({ index, error: { type: 'invalid_request_error', ...error } });

  // NOTE: items batchItems found well-formed are not walked again; checks[i] is item i's.
  const checks = events.map((item, index) =>
    wellFormed
      ? checkWellFormedItem(item as UsageEventInput, index, deps.catalog, now)
      : checkUsageItem(item, index, deps.catalog, now),
  );
  const accountIds = new Set<string>();
  for (const check of checks) if (check.ok) accountIds.add(check.event.account_id);
  const contexts = await deps.accounts.contexts([...accountIds]);

  const periods = deps.periods ?? new PeriodLocator();
  const recurrence = recurrencesOf(deps.catalog);
  // NOTE: ids seen per account, not as "account\0id" strings: no string built per event.
  const seen = new Map<string, Set<string>>();
  const metered: MeteredEvent[] = [];
  let duplicatesInBatch = 0;
  for (let index = 0; index < checks.length; index += 1) {
    const check = checks[index] as ItemCheck;
    if (!check.ok) {
      reject(index, check.error);
      continue;
    }
    const { event, occurredAt } = check;
    const context = contexts.get(event.account_id);
    if (!context) {
      reject(index, {
        code: 'account_not_found',
        message: `No account "${event.account_id}".`,
        param: `events[${index}].account_id`,
      });
      continue;
    }
    let ids = seen.get(event.account_id);
    if (!ids) seen.set(event.account_id, (ids = new Set()));
    if (ids.has(event.id)) {
      duplicatesInBatch += 1;
      continue;
    }
    ids.add(event.id);
    metered.push({
      accountId: event.account_id,
      eventId: event.id,
      feature: event.feature,
      action: event.action,
      quantity: event.quantity,
      occurredAt,
      timestamp: event.timestamp,
      period: periods.locate(context, recurrence(event.feature), occurredAt),
    });
  }
  if (metered.length === 0) return { accepted: 0, duplicates: duplicatesInBatch, rejected };

  const allowances = new Map<string, PlanAllowance>();
  const allowanceOf = (context: AccountUsageContext) => {
    let allowance = allowances.get(context.accountId);
    if (!allowance) allowances.set(context.accountId, (allowance = deps.allowanceOf(context)));
    return allowance;
  };
  const changes = await deps.store.ingest(
    metered,
    (batch) =>
      planCrossings({ counters: batch.counters, gauges: batch.gauges, contexts, allowanceOf, recurrence, now }),
    batchLimits(metered, contexts, allowanceOf),
  );
  return { accepted: changes.inserted, duplicates: duplicatesInBatch + metered.length - changes.inserted, rejected };
}

/** Each (account, feature) of the batch with the limit and thresholds planCrossings would apply to it. */
function batchLimits(
  metered: readonly MeteredEvent[],
  contexts: ReadonlyMap<string, AccountUsageContext>,
  allowanceOf: (context: AccountUsageContext) => PlanAllowance,
): BatchLimits {
  const featuresOf = new Map<string, Set<string>>();
  for (const event of metered) {
    let features = featuresOf.get(event.accountId);
    if (!features) featuresOf.set(event.accountId, (features = new Set()));
    features.add(event.feature);
  }
  const limits: BatchLimits = { accountIds: [], features: [], limits: [], thresholds: [] };
  for (const [accountId, features] of featuresOf) {
    const context = contexts.get(accountId);
    if (!context) continue;
    const allowance = allowanceOf(context);
    for (const feature of features) {
      const limit = allowance.limits.get(feature) ?? 0;
      limits.accountIds.push(accountId);
      limits.features.push(feature);
      limits.limits.push(limit === 'unlimited' ? null : limit);
      limits.thresholds.push(thresholdsFor(feature).join(','));
    }
  }
  return limits;
}

/** Distinct (plan, add-ons) allowances remembered per catalog; past this many the memory starts again. */
const ALLOWANCE_MEMO_SIZE = 1000;

/**
 * The allowance of an account's context, from the catalog. Without a granting subscription, a
 * reverse trial grants its plan until its end instant by `now` (then Free, with nothing to run).
 * NOTE: an allowance depends only on the catalog (fixed for this function), the plan and the
 * add-ons held, and few such pairs exist: each is computed once, not once per account and batch.
 */
export function allowanceFrom(
  catalog: Catalog,
  now: () => Date = () => new Date(),
): (context: AccountUsageContext) => PlanAllowance {
  const memo = new Map<string, PlanAllowance>();
  return (context) => {
    const plan = grantingPlan(context.subscription ? null : context.reverseTrial, context.planCode, now());
    let key = plan;
    for (const addOn of context.addOns) key += `\u0000${addOn.code}\u0000${addOn.quantity}`;
    let allowance = memo.get(key);
    if (!allowance) {
      if (memo.size >= ALLOWANCE_MEMO_SIZE) memo.clear();
      memo.set(key, (allowance = planAllowance(catalog, plan, context.addOns)));
    }
    return allowance;
  };
}

/** The plan a reverse trial grants at `at` (strictly before its end), else the plan of record. */
export function grantingPlan(
  reverseTrial: { planCode: string; endsAt: Date } | null | undefined,
  planCode: string,
  at: Date,
): string {
  return reverseTrial && at.getTime() < reverseTrial.endsAt.getTime() ? reverseTrial.planCode : planCode;
}
