import type { AccountChange, AccountChanges } from './account-changes';

/**
 * Values kept in memory per account and dropped by the database's account change feed: the rules
 * the prompt decisions and the entitlement reads share (offers/prompt-cache.ts,
 * usage/entitlement-cache.ts).
 *
 * - A committed change to an account drops its value on every instance; a reset of the feed (a lost
 *   connection) drops everything.
 * - A read takes a ticket before it begins; its value is stored only while the feed is live and if
 *   no change to its account arrived since (a change may have overtaken the read).
 * - At most `maxAccounts` accounts are kept; the least recently used go first.
 */
export class AccountKeyedCache<V> {
  private readonly accounts = new Map<string, V>();
  private epoch = 0;
  /** Tickets older than this are refused (after a reset, or when `changedAt` was cleared). */
  private floor = 0;
  private readonly changedAt = new Map<string, number>();

  constructor(
    private readonly changes: AccountChanges,
    private readonly maxAccounts: number,
  ) {
    changes.subscribe((change) => this.apply(change));
  }

  /** True while no committed change can go unheard. */
  get live(): boolean {
    return this.changes.live;
  }

  /** Taken before a read begins. */
  ticket(): number {
    return this.epoch;
  }

  /** Whether a read that began at `ticket` may be kept: the feed live, and its account unchanged since. */
  admits(accountId: string, ticket: number): boolean {
    return this.changes.live && ticket >= this.floor && (this.changedAt.get(accountId) ?? -1) <= ticket;
  }

  /** The account's value, which becomes the most recently used. */
  get(accountId: string): V | undefined {
    const value = this.accounts.get(accountId);
    if (value === undefined) return undefined;
    // NOTE: a Map iterates in insertion order; re-inserting makes this account the most recent.
    this.accounts.delete(accountId);
    this.accounts.set(accountId, value);
    return value;
  }

  /** Keeps the account's value as the most recently used, forgetting the least recently used beyond the limit. */
  set(accountId: string, value: V): void {
    this.accounts.delete(accountId);
    this.accounts.set(accountId, value);
    if (this.accounts.size > this.maxAccounts) {
      const oldest = this.accounts.keys().next().value;
      if (oldest !== undefined) this.accounts.delete(oldest);
    }
  }

  delete(accountId: string): void {
    this.accounts.delete(accountId);
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
    if (this.changedAt.size > 10 * this.maxAccounts) {
      this.changedAt.clear();
      this.floor = this.epoch;
    }
  }
}
