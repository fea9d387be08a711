import type { AccountChanges } from '../shared/database/account-changes';
import { AccountKeyedCache } from '../shared/database/account-keyed-cache';
import type { AccountEntitlements } from './read-entitlements';

export interface EntitlementCacheOptions {
  changes: AccountChanges;
  /** Accounts kept; the least recently read go first. */
  maxAccounts: number;
  /** A safety net only: changes reach the cache through the feed, time-driven ones through `validUntil`. */
  ttlMs: number;
}

interface Entry {
  value: AccountEntitlements;
  storedAt: number;
  expiresAt: number;
}

/**
 * The instant until which an account's entitlements, read at `asOf`, stay what they are while its
 * rows do not change: the end of every period they count use in, and the end of a running reverse
 * trial (its plan stops granting then). NOTE: between those instants the read depends on time only
 * through them (current-usage.ts, allowanceFrom), so serving the stored value is exact.
 */
export function validUntil(value: AccountEntitlements): number {
  const asOf = value.asOf.getTime();
  let until = value.period.end.getTime();
  for (const e of value.entitlements) if (e.type === 'metered') until = Math.min(until, e.period.end.getTime());
  const trialEnd = value.context.reverseTrial?.endsAt.getTime();
  if (trialEnd !== undefined && trialEnd > asOf) until = Math.min(until, trialEnd);
  return until;
}

/**
 * Each account's entitlements as last read, so that a check does not query PostgreSQL. Exact through
 * the database's account change feed: a committed change to usage, the plan or the account drops
 * that account on every instance, and a write through this instance has reached the cache before
 * its COMMIT returns (account-changes.ts). Nothing is served or stored while the feed is not live,
 * nor a read that a change overtook (the ticket, as in offers/prompt-cache.ts).
 */
export class EntitlementCache {
  private readonly kept: AccountKeyedCache<Entry>;

  constructor(private readonly options: EntitlementCacheOptions) {
    this.kept = new AccountKeyedCache(options.changes, options.maxAccounts);
  }

  /** Taken before a read begins; store() refuses it if the account changed since. */
  ticket(): number {
    return this.kept.ticket();
  }

  get(accountId: string, now: Date): AccountEntitlements | undefined {
    const entry = this.kept.get(accountId);
    if (!entry) return undefined;
    const at = now.getTime();
    if (!this.kept.live || at < entry.storedAt || at >= entry.expiresAt) {
      this.kept.delete(accountId);
      return undefined;
    }
    return entry.value;
  }

  store(accountId: string, ticket: number, value: AccountEntitlements): boolean {
    if (!this.kept.admits(accountId, ticket)) return false;
    const storedAt = value.asOf.getTime();
    const expiresAt = Math.min(storedAt + this.options.ttlMs, validUntil(value));
    if (expiresAt <= storedAt) return false;
    this.kept.set(accountId, { value, storedAt, expiresAt });
    return true;
  }

  /** Accounts kept (tests and metrics). */
  get size(): number {
    return this.kept.size;
  }
}
