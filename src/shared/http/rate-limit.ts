import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Pool } from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimitSettings } from '../../config/config';
import { tooManyRequests } from '../errors';
import { SharedRateCounts } from './shared-rate-counts';
import { resolvePrincipal, type AuthSettings } from './authenticate';
import type { Principal } from './principal';

/** The table migrations/1763902000000-RateLimits.ts creates. */
export const RATE_LIMIT_TABLE = 'rate_limits';

/** Routes that cost Stripe calls and stored rows: quotes, changes and refunds. */
const MONEY_ROUTES = /^\/(v1\/quotes|v1\/changes|v1\/changes\/[^/]+\/cancel|v1\/refunds|admin\/v1\/refunds)\/?$/;

/** Only the APIs are limited; Stripe's webhooks prove themselves by signature, probes and pages are free. */
function limitedPath(path: string): boolean {
  return (path.startsWith('/v1/') || path.startsWith('/admin/v1/')) && !path.startsWith('/v1/webhooks');
}

type BucketName = 'ip' | 'account' | 'key' | 'money_account' | 'money_key';

interface Bucket {
  name: BucketName;
  points: number;
  /** Resolves when the request fits; rejects with a RateLimiterRes when it does not. */
  consume(key: string): Promise<RateLimiterRes>;
}

/** How long request counts wait in memory before they are sent to the shared table together. */
export const RATE_COUNT_SYNC_MS = 250;

/**
 * A bucket counted in memory and shared through PostgreSQL every `RATE_COUNT_SYNC_MS`
 * (shared-rate-counts.ts): no statement per request. Exact on one instance; across instances a
 * key may pass its limit by what the others counted within one sync interval.
 */
function sharedBucket(name: BucketName, points: number, counts: SharedRateCounts): Bucket {
  return {
    name,
    points,
    consume: (key: string) => {
      const c = counts.consume(`${name}:${key}`, points);
      const result = new RateLimiterRes(c.remaining, c.msBeforeNext, c.consumed, c.consumed === 1);
      return c.allowed ? Promise.resolve(result) : Promise.reject(result);
    },
  };
}

/**
 * A bucket counted in PostgreSQL at every request (shared exactly by every instance): the money
 * routes', where a few requests a minute must hold exactly. When the database does not answer, an
 * in-memory counter of this instance stands in (the library's insurance limiter), and a key over
 * its limit is refused from memory until its window ends, sparing the database.
 */
function exactBucket(name: BucketName, points: number, settings: RateLimitSettings, pool: () => Pool): Bucket {
  const common = { keyPrefix: name, points, duration: settings.windowSeconds };
  let store: RateLimiterPostgres | undefined;
  const memory = new RateLimiterMemory(common);
  // NOTE: built at the first request: the pool exists only once the DataSource is initialised.
  return {
    name,
    points,
    consume: (key: string) => {
      store ??= new RateLimiterPostgres({
        ...common,
        storeClient: pool(),
        storeType: 'pool',
        tableName: RATE_LIMIT_TABLE,
        tableCreated: true,
        clearExpiredByTimeout: true,
        inMemoryBlockOnConsumed: points,
        insuranceLimiter: memory,
      });
      return store.consume(key);
    },
  };
}

export interface RateLimits {
  buckets: Record<BucketName, Bucket>;
  settings: RateLimitSettings;
  /** Addresses this instance refused, until when (epoch ms): refused again before their credentials are read. */
  refusedAddresses: Map<string, number>;
  /** The counts of the address, account and key buckets, sent to PostgreSQL together. */
  shared: SharedRateCounts;
}

export function buildRateLimits(
  settings: RateLimitSettings,
  pool: () => Pool,
  options: { syncMs?: number; onError?: (error: unknown) => void } = {},
): RateLimits {
  const shared = new SharedRateCounts({
    pool,
    table: RATE_LIMIT_TABLE,
    windowMs: settings.windowSeconds * 1000,
    syncMs: options.syncMs ?? RATE_COUNT_SYNC_MS,
    onError: options.onError,
  });
  return {
    settings,
    refusedAddresses: new Map(),
    shared,
    buckets: {
      ip: sharedBucket('ip', settings.ip, shared),
      account: sharedBucket('account', settings.account, shared),
      key: sharedBucket('key', settings.key, shared),
      money_account: exactBucket('money_account', settings.moneyAccount, settings, pool),
      money_key: exactBucket('money_key', settings.moneyKey, settings, pool),
    },
  };
}

interface Counted {
  bucket: Bucket;
  result: RateLimiterRes;
}

/** IETF draft-ietf-httpapi-ratelimit-headers: `RateLimit-Policy` lists the policies, `RateLimit` the tightest. */
function setHeaders(res: Response, counted: Counted[], windowSeconds: number): void {
  res.setHeader(
    'RateLimit-Policy',
    counted.map((c) => `"${c.bucket.name}";q=${c.bucket.points};w=${windowSeconds}`),
  );
  const tightest = counted.reduce((a, b) => (b.result.remainingPoints < a.result.remainingPoints ? b : a));
  const reset = Math.max(0, Math.ceil(tightest.result.msBeforeNext / 1000));
  res.setHeader('RateLimit', `"${tightest.bucket.name}";r=${tightest.result.remainingPoints};t=${reset}`);
}

function refusal(res: Response, counted: Counted[], over: Counted, windowSeconds: number): Error {
  setHeaders(res, counted, windowSeconds);
  const seconds = Math.max(1, Math.ceil(over.result.msBeforeNext / 1000));
  res.setHeader('Retry-After', String(seconds));
  const who =
    over.bucket.name === 'ip' ? 'this address' : over.bucket.name.endsWith('key') ? 'this key' : 'this account';
  const what = over.bucket.name.startsWith('money') ? 'quotes, changes and refunds' : 'requests';
  return tooManyRequests(
    `Too many ${what} from ${who}: at most ${over.bucket.points} every ${windowSeconds} s. Retry after ${seconds} s.`,
  );
}

/** Counts one request in `bucket`; a library answer of RateLimiterRes is a refusal, an Error passes (fail open). */
async function count(bucket: Bucket, key: string): Promise<{ counted: Counted; refused: boolean }> {
  try {
    return { counted: { bucket, result: await bucket.consume(key) }, refused: false };
  } catch (outcome) {
    if (outcome instanceof RateLimiterRes) return { counted: { bucket, result: outcome }, refused: true };
    // NOTE: both the database and the memory insurance failed: serving beats refusing everyone.
    return { counted: { bucket, result: new RateLimiterRes(bucket.points, 0, 0, false) }, refused: false };
  }
}

const REFUSED_ADDRESSES_MAX = 10_000;

function remember(refused: Map<string, number>, ip: string, until: number): void {
  if (refused.size >= REFUSED_ADDRESSES_MAX) refused.delete(refused.keys().next().value as string);
  refused.set(ip, until);
}

async function principalOf(req: Request, auth: AuthSettings): Promise<Principal | undefined> {
  try {
    return await resolvePrincipal(req, auth);
  } catch {
    return undefined;
  }
}

/**
 * Middleware before any body parser and router: per end-user account (JWT account_id), per API key,
 * and per IP for requests that prove no principal (checked before their credentials are worked on
 * any further); quotes, changes and refunds count in a tighter bucket as well. Over a limit: 429
 * `rate_limit_error` with `Retry-After`; every limited answer carries `RateLimit` and `RateLimit-Policy`.
 */
export function rateLimit(limits: RateLimits, auth: AuthSettings): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (!limits.settings.enabled || !limitedPath(req.path)) return next();
    next(await limitRequest(limits, req, res, () => principalOf(req, auth)));
  };
}

/**
 * Counts one request of a limited path: resolves with the 429 to answer, or undefined with the
 * `RateLimit` headers set. `principal` is asked only when the address is not already refused.
 * Shared by the middleware and the front door (which knows its principal already).
 */
export async function limitRequest(
  limits: RateLimits,
  req: Request,
  res: Response,
  principal: () => Promise<Principal | undefined>,
): Promise<Error | undefined> {
  const { buckets, settings } = limits;
  const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
  const refusedUntil = limits.refusedAddresses.get(ip);
  if (refusedUntil !== undefined && refusedUntil > Date.now()) {
    const result = new RateLimiterRes(0, refusedUntil - Date.now(), buckets.ip.points, false);
    const counted = { bucket: buckets.ip, result };
    return refusal(res, [counted], counted, settings.windowSeconds);
  }
  if (refusedUntil !== undefined) limits.refusedAddresses.delete(ip);
  const caller = await principal();
  const money = req.method === 'POST' && MONEY_ROUTES.test(req.path);
  const plan: Array<[Bucket, string]> = [];
  if (!caller) plan.push([buckets.ip, ip]);
  else if (caller.kind === 'user') {
    plan.push([buckets.account, caller.accountId]);
    if (money) plan.push([buckets.money_account, caller.accountId]);
  } else {
    plan.push([buckets.key, caller.kind]);
    if (money) plan.push([buckets.money_key, caller.kind]);
  }
  const counted: Counted[] = [];
  for (const [bucket, key] of plan) {
    const outcome = await count(bucket, key);
    counted.push(outcome.counted);
    if (outcome.refused) {
      if (bucket === buckets.ip)
        remember(limits.refusedAddresses, ip, Date.now() + outcome.counted.result.msBeforeNext);
      return refusal(res, counted, outcome.counted, settings.windowSeconds);
    }
  }
  setHeaders(res, counted, settings.windowSeconds);
  return undefined;
}
