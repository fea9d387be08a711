import type { AccountChange, AccountChanges } from '../shared/database/account-changes';
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
  private readonly accounts = new Map<string, Entry>();
  private epoch = 0;
  private floor = 0;
  private readonly changedAt = new Map<string, number>();

  constructor(private readonly options: EntitlementCacheOptions) {
    options.changes.subscribe((change) => this.apply(change));
  }

  /** Taken before a read begins; store() refuses it if the account changed since. */
  ticket(): number {
    return this.epoch;
  }

  get(accountId: string, now: Date): AccountEntitlements | undefined {
    const entry = this.accounts.get(accountId);
    if (!entry) return undefined;
    const at = now.getTime();
    if (!this.options.changes.live || at < entry.storedAt || at >= entry.expiresAt) {
      this.accounts.delete(accountId);
      return undefined;
    }
    // NOTE: a Map iterates in insertion order; re-inserting makes this account the most recent.
    this.accounts.delete(accountId);
    this.accounts.set(accountId, entry);
    return entry.value;
  }

  store(accountId: string, ticket: number, value: AccountEntitlements): boolean {
    if (!this.options.changes.live || ticket < this.floor || (this.changedAt.get(accountId) ?? -1) > ticket)
      return false;
    const storedAt = value.asOf.getTime();
    const expiresAt = Math.min(storedAt + this.options.ttlMs, validUntil(value));
    if (expiresAt <= storedAt) return false;
    this.accounts.delete(accountId);
    this.accounts.set(accountId, { value, storedAt, expiresAt });
    if (this.accounts.size > this.options.maxAccounts) {
      const oldest = this.accounts.keys().next().value;
      if (oldest !== undefined) this.accounts.delete(oldest);
    }
    return true;
  }

  /** Accounts kept (tests and metrics). */
  get size(): number {
    return this.accounts.size;
  }

  private apply(change: AccountChange): void {
    this.epoch += 1;
    if (change.kind === 'reset') {
      this.accounts.clear();
      this.changedAt.clear();
      this.floor = this.epoch;
      return;
    }
    for (const id of change.accountIds) {
      this.accounts.delete(id);
      this.changedAt.set(id, this.epoch);
    }
    // NOTE: bounded memory: forgetting when accounts changed is safe once every older ticket is refused.
    if (this.changedAt.size > 10 * this.options.maxAccounts) {
      this.changedAt.clear();
      this.floor = this.epoch;
    }
  }
}
