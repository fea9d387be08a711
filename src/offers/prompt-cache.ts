import type { AccountChanges } from '../shared/database/account-changes';
import { AccountKeyedCache } from '../shared/database/account-keyed-cache';
import type { PromptView } from './prompt.view';

const DAY_MS = 24 * 3600 * 1000;

export interface PromptCacheOptions {
  /**
   * How long a decision may serve at most while time alone moves on (a cool-down ending, a lifecycle
   * day arriving). Each decision gets 80-100% of it at random, so that decisions made together do
   * not all expire together and send their accounts to the database at once.
   */
  ttlMs: number;
  /** Accounts kept; the least recently asked-for go first. */
  maxAccounts: number;
  changes: AccountChanges;
  /** Tests pin the spread of lifetimes; Math.random by default. */
  random?: () => number;
}

/** What else a decision depends on besides the account: compared by identity, any change is a miss. */
export interface DecisionInputs {
  rules: object;
  experiments: unknown;
}

interface Entry {
  views: readonly PromptView[];
  inputs: DecisionInputs;
  storedAt: number;
  expiresAt: number;
}

/**
 * Decisions already made, per account and request, so that asking again for the same prompts does
 * not read PostgreSQL. Correct across instances through the database's account change feed: any
 * committed change to what a decision reads (usage, plan, purchases, prompt history, the account)
 * drops that account's decisions, on every instance; time-driven changes wait at most `ttlMs`.
 *
 * A decision is never stored when a change to its account may have been missed: while the feed is
 * not live, or when a change arrived after its reads began (the ticket). It never outlives the UTC
 * day it was made on (impressions and daily caps count per day) or the end date of a prompt in it.
 */
export class PromptCache {
  private readonly kept: AccountKeyedCache<Map<string, Entry>>;

  constructor(private readonly options: PromptCacheOptions) {
    this.kept = new AccountKeyedCache(options.changes, options.maxAccounts);
  }

  /** Taken before a decision's reads begin; store() refuses it if its account changed since. */
  ticket(): number {
    return this.kept.ticket();
  }

  get(accountId: string, key: string, inputs: DecisionInputs, now: Date): readonly PromptView[] | undefined {
    const entries = this.kept.get(accountId);
    const entry = entries?.get(key);
    if (!entries || !entry) return undefined;
    const at = now.getTime();
    const fresh =
      at >= entry.storedAt &&
      at < entry.expiresAt &&
      entry.inputs.rules === inputs.rules &&
      entry.inputs.experiments === inputs.experiments;
    if (!fresh) {
      entries.delete(key);
      return undefined;
    }
    return entry.views;
  }

  store(
    accountId: string,
    key: string,
    ticket: number,
    decision: { views: readonly PromptView[]; inputs: DecisionInputs; now: Date },
  ): boolean {
    if (!this.kept.admits(accountId, ticket)) return false;
    const at = decision.now.getTime();
    const ends = decision.views.flatMap((v) => (v.ends_at ? [new Date(v.ends_at).getTime()] : []));
    const lifetime = this.options.ttlMs * (0.8 + 0.2 * (this.options.random ?? Math.random)());
    const expiresAt = Math.min(at + lifetime, (Math.floor(at / DAY_MS) + 1) * DAY_MS, ...ends);
    if (expiresAt <= at) return false;
    const entries = this.kept.get(accountId) ?? new Map<string, Entry>();
    entries.set(key, { views: decision.views, inputs: decision.inputs, storedAt: at, expiresAt });
    this.kept.set(accountId, entries);
    return true;
  }

  /** Accounts with decisions kept (for tests and metrics). */
  get size(): number {
    return this.kept.size;
  }
}
