import { z } from 'zod';
import { accountIdSchema } from '../accounts/accounts.validators';

/** The most events one request may carry. */
export const MAX_EVENTS_PER_REQUEST = 1000;
/** The largest quantity one event may carry: more is a bug in the sender, not usage. */
export const MAX_QUANTITY = 1_000_000_000_000;
/** How far ahead of our clock a timestamp may be (clock skew), and how far back (late delivery). */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;
export const MAX_EVENT_AGE_MS = 400 * 24 * 3600 * 1000;

/** The envelope is strict; its items are checked one by one so one bad item does not sink the batch. */
export const usageBatchSchema = z.object({ events: z.array(z.unknown()).min(1, 'send at least one event') }).strict();

export const usageEventSchema = z
  .object({
    id: z.string().regex(/^[\x21-\x7e]{1,128}$/, 'must be 1-128 visible ASCII characters'),
    account_id: accountIdSchema,
    feature: z.string().regex(/^[a-z][a-z0-9_]{0,47}$/, 'must be a feature code'),
    quantity: z.number().int('must be a whole number'),
    action: z.enum(['increment', 'set']),
    timestamp: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone' }),
  })
  .strict();

export type UsageEventInput = z.infer<typeof usageEventSchema>;

const EVENT_KEYS = new Set(['id', 'account_id', 'feature', 'quantity', 'action', 'timestamp']);
const EVENT_ID = /^[\x21-\x7e]{1,128}$/;
const ACCOUNT_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const FEATURE_CODE = /^[a-z][a-z0-9_]{0,47}$/;
const timestampSchema = usageEventSchema.shape.timestamp;
/**
 * The last timestamp found valid. NOTE: a batch's events mostly share a few timestamps; zod's check
 * is a long regex. Undefined until one is: an empty string here made "" valid before any check ran.
 */
let lastValidTimestamp: string | undefined;

function validTimestamp(timestamp: string): boolean {
  if (timestamp === lastValidTimestamp) return true;
  if (!timestampSchema.safeParse(timestamp).success) return false;
  lastValidTimestamp = timestamp;
  return true;
}

/**
 * The well-formed event, without copying it, or null — then usageEventSchema names the problem.
 * NOTE: accepts exactly what usageEventSchema accepts (a test holds the two together); it exists
 * because a batch of 1,000 items through zod's copying parse costs more than the database insert.
 */
export function wellFormedEvent(raw: unknown): UsageEventInput | null {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const r = raw as Record<string, unknown>;
  let keys = 0;
  for (const key in r) {
    if (!EVENT_KEYS.has(key)) return null;
    keys += 1;
  }
  if (keys !== EVENT_KEYS.size) return null;
  const { id, account_id, feature, quantity, action, timestamp } = r;
  if (typeof id !== 'string' || !EVENT_ID.test(id)) return null;
  if (typeof account_id !== 'string' || !ACCOUNT_ID.test(account_id)) return null;
  if (typeof feature !== 'string' || !FEATURE_CODE.test(feature)) return null;
  if (typeof quantity !== 'number' || !Number.isSafeInteger(quantity)) return null;
  if (action !== 'increment' && action !== 'set') return null;
  if (typeof timestamp !== 'string' || !validTimestamp(timestamp)) return null;
  return r as UsageEventInput;
}

export const entitlementParamsSchema = z.object({ feature: z.string().min(1).max(64) }).strict();

export const entitlementQuerySchema = z
  .object({
    quantity: z
      .string()
      .regex(/^[0-9]{1,13}$/, 'must be a whole number')
      .transform(Number)
      .refine((n) => n >= 1 && n <= MAX_QUANTITY, 'must be between 1 and 10^12')
      .optional(),
  })
  .strict();

export const snapshotQuerySchema = z.object({ account_id: z.string().min(1).max(64) }).strict();

/** The stream takes no query; Last-Event-ID comes as a header. */
export const streamQuerySchema = z.object({}).strict();
