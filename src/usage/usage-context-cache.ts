import type { AccountChanges } from '../shared/database/account-changes';
import { AccountKeyedCache } from '../shared/database/account-keyed-cache';
import type { AccountUsageContext } from './usage.types';

/** Where ingestion reads the accounts of a batch: the repository, or this cache in front of it. */
export interface UsageContextSource {
  contexts(accountIds: readonly string[]): Promise<Map<string, AccountUsageContext>>;
}

export interface UsageContextCacheOptions {
  /** The state feed (AccountChangeFeed.accountState): changes to accounts, subscriptions and trials only. */
  changes: AccountChanges;
  /** Reads the contexts that are not kept. */
  source: UsageContextSource;
  /** Accounts kept; the least recently used go first. */
  maxAccounts: number;
  /** A safety net only: a change reaches the cache through the feed. */
  ttlMs: number;
  now: () => Date;
}

interface Entry {
  context: AccountUsageContext;
  storedAt: number;
  expiresAt: number;
}

/**
 * The usage contexts (account, granting subscription, reverse trial) of the accounts a batch names,
 * kept in memory so that a batch does not read them before its statement: a round trip and a join
 * per batch, for rows that change a few times a month. NOTE: a context is a function of those rows
 * only (toContext); time enters later, where it is used (allowanceFrom, the period locator).
 * Exact through the state feed (AccountStateChangeNotifications): a committed change to an account,
 * its subscriptions or trials, a deletion or a re-keying (the old id is announced too) drops the
 * account here, and a write through this instance's pool has done so before its query resolves.
 * Nothing is served or kept while the feed is not live, nor a read a change overtook (the ticket).
 * Unknown accounts are never kept: they are read again, so a new account is seen at once.
 */
export class UsageContextCache implements UsageContextSource {
  private readonly kept: AccountKeyedCache<Entry>;

  constructor(private readonly options: UsageContextCacheOptions) {
    this.kept = new AccountKeyedCache(options.changes, options.maxAccounts);
  }

  async contexts(accountIds: readonly string[]): Promise<Map<string, AccountUsageContext>> {
    const ticket = this.kept.ticket();
    const now = this.options.now().getTime();
    const found = new Map<string, AccountUsageContext>();
    const missing: string[] = [];
    const live = this.kept.live;
    for (const accountId of accountIds) {
      const entry = live ? this.kept.get(accountId) : undefined;
      // NOTE: a clock set back (an injected one) finds its entries newer than itself: read again.
      if (entry && now >= entry.storedAt && now < entry.expiresAt) found.set(accountId, entry.context);
      else missing.push(accountId);
    }
    if (missing.length === 0) return found;
    const read = await this.options.source.contexts(missing);
    for (const [accountId, context] of read) {
      found.set(accountId, context);
      if (this.kept.admits(accountId, ticket))
        this.kept.set(accountId, { context, storedAt: now, expiresAt: now + this.options.ttlMs });
    }
    return found;
  }

  /** Accounts kept (tests and metrics). */
  get size(): number {
    return this.kept.size;
  }
}
