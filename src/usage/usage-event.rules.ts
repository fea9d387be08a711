import type { Catalog, Feature } from '../catalog/catalog.types';
import { issuePath } from '../shared/http/validate';
import {
  MAX_EVENT_AGE_MS,
  MAX_FUTURE_SKEW_MS,
  MAX_QUANTITY,
  usageEventSchema,
  wellFormedEvent,
  type UsageEventInput,
} from './usage.validators';

/** Why one item of a batch was not accepted; `param` points into the request body. */
export interface ItemError {
  code: string;
  message: string;
  param: string;
}

export type ItemCheck = { ok: true; event: UsageEventInput; occurredAt: Date } | { ok: false; error: ItemError };

const fail = (code: string, message: string, param: string): ItemCheck => ({
  ok: false,
  error: { code, message, param },
});

/**
 * Checks one item on its own: shape, feature, action against the feature's kind, quantity
 * and time. Whether its account exists is asked for the whole batch at once, elsewhere.
 * NOTE: counters take `increment` and gauges take `set`; the other way round is refused
 * rather than guessed, since a gauge increment depends on delivery order and a counter
 * `set` would rewrite history.
 */
export function checkUsageItem(raw: unknown, index: number, catalog: Catalog, now: Date): ItemCheck {
  const event = wellFormedEvent(raw);
  if (!event) return shapeProblem(raw, index);
  return checkWellFormedItem(event, index, catalog, now);
}

/**
 * checkUsageItem for an item wellFormedEvent already accepted (the batch's envelope check walks
 * every item with it first): the rest of the checks, without that walk a second time.
 */
export function checkWellFormedItem(event: UsageEventInput, index: number, catalog: Catalog, now: Date): ItemCheck {
  const feature: Feature | undefined = featuresOf(catalog).get(event.feature);
  if (!feature) return fail('feature_not_found', `No feature "${event.feature}" in the catalog.`, at(index, 'feature'));
  if (feature.type !== 'metered')
    return fail(
      'feature_not_metered',
      `"${event.feature}" is an on/off feature; it has no usage.`,
      at(index, 'feature'),
    );
  const expected = feature.kind === 'counter' ? 'increment' : 'set';
  if (event.action !== expected) {
    return fail(
      'action_not_supported',
      `"${event.feature}" is a ${feature.kind}: send action "${expected}".`,
      at(index, 'action'),
    );
  }
  if (event.quantity < 0) return fail('negative_quantity', 'The quantity must not be negative.', at(index, 'quantity'));
  if (event.quantity > MAX_QUANTITY)
    return fail('quantity_too_large', `The quantity must not exceed ${MAX_QUANTITY}.`, at(index, 'quantity'));
  const occurredAt = instantOf(event.timestamp);
  if (occurredAt.getTime() > now.getTime() + MAX_FUTURE_SKEW_MS) {
    return fail('timestamp_in_future', 'The timestamp is in the future.', at(index, 'timestamp'));
  }
  if (occurredAt.getTime() < now.getTime() - MAX_EVENT_AGE_MS) {
    return fail('timestamp_too_old', 'The timestamp is more than 400 days old.', at(index, 'timestamp'));
  }
  return { ok: true, event, occurredAt };
}

const at = (index: number, field: string) => `events[${index}].${field}`;

/** The last timestamp parsed. NOTE: a batch's events mostly share a timestamp; nothing mutates the Date. */
let lastTimestamp: string | undefined;
let lastInstant = new Date(NaN);

function instantOf(timestamp: string): Date {
  if (timestamp !== lastTimestamp) {
    lastInstant = new Date(timestamp);
    lastTimestamp = timestamp;
  }
  return lastInstant;
}

const featureMaps = new WeakMap<Catalog, Map<string, Feature>>();

function featuresOf(catalog: Catalog): Map<string, Feature> {
  let map = featureMaps.get(catalog);
  if (!map) featureMaps.set(catalog, (map = new Map(catalog.features.map((f) => [f.code, f]))));
  return map;
}

/** The first problem zod finds in a malformed item, as a rejection. */
function shapeProblem(raw: unknown, index: number): ItemCheck {
  const parsed = usageEventSchema.safeParse(raw);
  if (parsed.success) return fail('validation_failed', 'Invalid event.', `events[${index}]`);
  const issue = parsed.error.issues[0];
  const path = issue ? issuePath(issue.path) : '';
  const key = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const param = `events[${index}]${path ? `.${path}` : ''}${key ? `.${key}` : ''}`;
  const message =
    issue?.code === 'unrecognized_keys'
      ? `Unknown field: ${issue.keys.join(', ')}.`
      : (issue?.message ?? 'Invalid event.');
  return fail('validation_failed', message, param);
}
