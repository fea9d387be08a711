import { PromptCache } from '../../src/offers/prompt-cache';
import type { PromptView } from '../../src/offers/prompt.view';
import type { AccountChange, AccountChanges } from '../../src/shared/database/account-changes';

/** The feed as the database would drive it, by hand. */
class HandFeed implements AccountChanges {
  live = true;
  private readonly listeners = new Set<(change: AccountChange) => void>();
  subscribe(listener: (change: AccountChange) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  changed(...accountIds: string[]) {
    for (const l of this.listeners) l({ kind: 'accounts', accountIds });
  }
  reset() {
    for (const l of this.listeners) l({ kind: 'reset' });
  }
}

const T0 = new Date('2026-11-22T12:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const rules = {};
const inputs = { rules, experiments: undefined };
const view = (id: string, endsAt: string | null = null) => ({ id, ends_at: endsAt }) as unknown as PromptView;

function setup(options: { ttlMs?: number; maxAccounts?: number; random?: () => number } = {}) {
  const feed = new HandFeed();
  const cache = new PromptCache({
    ttlMs: options.ttlMs ?? 30_000,
    maxAccounts: options.maxAccounts ?? 100,
    changes: feed,
    random: options.random ?? (() => 0.999_999_999),
  });
  const keep = (account: string, views: PromptView[], now = T0, ticket = cache.ticket(), key = 'k') =>
    cache.store(account, key, ticket, { views, inputs, now });
  return { feed, cache, keep };
}

describe('PromptCache', () => {
  it('serves a kept decision for the same account and request, and nothing for another request', () => {
    const { cache, keep } = setup();
    const views = [view('prm_1')];
    expect(keep('a', views)).toBe(true);
    expect(cache.get('a', 'k', inputs, at(1000))).toBe(views);
    expect(cache.get('a', 'other', inputs, at(1000))).toBeUndefined();
    expect(cache.get('b', 'k', inputs, at(1000))).toBeUndefined();
  });

  it('drops every decision of an account when a change to it is announced, and only its', () => {
    const { cache, feed, keep } = setup();
    keep('a', [view('prm_a')]);
    keep('a', [view('prm_a2')], T0, cache.ticket(), 'k2');
    keep('b', [view('prm_b')]);
    feed.changed('a');
    expect(cache.get('a', 'k', inputs, T0)).toBeUndefined();
    expect(cache.get('a', 'k2', inputs, T0)).toBeUndefined();
    expect(cache.get('b', 'k', inputs, T0)?.[0]?.id).toBe('prm_b');
  });

  it('refuses a decision whose account changed after its reads began (the change would be lost)', () => {
    const { cache, feed, keep } = setup();
    const ticket = cache.ticket();
    feed.changed('a');
    expect(keep('a', [view('prm_stale')], T0, ticket)).toBe(false);
    expect(cache.get('a', 'k', inputs, T0)).toBeUndefined();
    // another account's change does not matter to it
    const second = cache.ticket();
    feed.changed('b');
    expect(keep('a', [view('prm_fresh')], T0, second)).toBe(true);
  });

  it('accepts a decision whose reads began after the last change to its account', () => {
    const { cache, feed, keep } = setup();
    feed.changed('a');
    const ticket = cache.ticket();
    expect(keep('a', [view('prm_after')], T0, ticket)).toBe(true);
  });

  it('keeps nothing while the feed is not live, and forgets everything on a reset', () => {
    const { cache, feed, keep } = setup();
    keep('a', [view('prm_a')]);
    const before = cache.ticket();
    feed.live = false;
    feed.reset();
    expect(cache.get('a', 'k', inputs, T0)).toBeUndefined();
    expect(keep('a', [view('prm_a')])).toBe(false);
    feed.live = true;
    expect(keep('a', [view('prm_a')], T0, before)).toBe(false);
    expect(keep('a', [view('prm_a')])).toBe(true);
  });

  const HOUR = 3600_000;
  type Expiry = [name: string, ttlMs: number, views: PromptView[], validAt: number, goneAt: number];
  const expiries: Expiry[] = [
    ['time alone: the TTL', 30_000, [view('p')], 29_999, 30_000],
    ['the next UTC midnight (impressions and caps count per day)', 24 * HOUR, [], 12 * HOUR - 1, 12 * HOUR],
    [
      'the earliest end date of a prompt in it',
      30_000,
      [view('p', at(10_000).toISOString()), view('q')],
      9_999,
      10_000,
    ],
  ];
  test.each(expiries)('a decision expires at %s', (_name, ttlMs, views, validAt, goneAt) => {
    const { cache, keep } = setup({ ttlMs });
    keep('a', views);
    expect(cache.get('a', 'k', inputs, at(validAt))).toBe(views);
    expect(cache.get('a', 'k', inputs, at(goneAt))).toBeUndefined();
  });

  it('spreads lifetimes over 80-100% of the TTL, so decisions made together do not expire together', () => {
    const shortest = setup({ random: () => 0 });
    shortest.keep('a', [view('p')]);
    expect(shortest.cache.get('a', 'k', inputs, at(23_999))).toBeDefined();
    expect(shortest.cache.get('a', 'k', inputs, at(24_000))).toBeUndefined();
    const halfway = setup({ random: () => 0.5 });
    halfway.keep('a', [view('p')]);
    expect(halfway.cache.get('a', 'k', inputs, at(26_999))).toBeDefined();
    expect(halfway.cache.get('a', 'k', inputs, at(27_000))).toBeUndefined();
  });

  it('keeps nothing that has already ended', () => {
    const { keep } = setup();
    expect(keep('a', [view('p', T0.toISOString())])).toBe(false);
  });

  it('misses when the clock went back before the decision, or the rules or experiments changed', () => {
    const { cache, keep } = setup();
    keep('a', [view('p')]);
    expect(cache.get('a', 'k', inputs, at(-1))).toBeUndefined();
    keep('a', [view('p')]);
    expect(cache.get('a', 'k', { rules: {}, experiments: undefined }, T0)).toBeUndefined();
    keep('a', [view('p')]);
    expect(cache.get('a', 'k', { rules, experiments: new Map() }, T0)).toBeUndefined();
  });

  it('holds at most maxAccounts accounts, dropping the least recently asked for', () => {
    const { cache, keep } = setup({ maxAccounts: 2 });
    keep('a', [view('pa')]);
    keep('b', [view('pb')]);
    cache.get('a', 'k', inputs, T0);
    keep('c', [view('pc')]);
    expect(cache.size).toBe(2);
    expect(cache.get('b', 'k', inputs, T0)).toBeUndefined();
    expect(cache.get('a', 'k', inputs, T0)).toBeDefined();
    expect(cache.get('c', 'k', inputs, T0)).toBeDefined();
  });

  it('bounds its memory of changes: once forgotten, decisions begun before are refused', () => {
    const { cache, feed, keep } = setup({ maxAccounts: 1 });
    const old = cache.ticket();
    for (let i = 0; i <= 10; i += 1) feed.changed(`x${i}`);
    expect(keep('a', [view('p')], T0, old)).toBe(false);
    expect(keep('a', [view('p')])).toBe(true);
  });
});
