import { FakeFeed } from './support/fake-account-feed';
import { UsageContextCache, type UsageContextSource } from '../../src/usage/usage-context-cache';
import type { AccountUsageContext } from '../../src/usage/usage.types';

const T0 = Date.UTC(2030, 0, 10);
const MIN = 60_000;

/** The database as the cache's source sees it: plans by account, and every read it was asked for. */
class FakeSource implements UsageContextSource {
  readonly plans = new Map<string, string>();
  readonly reads: string[][] = [];
  /** Runs while a read is in flight, after the rows were read. */
  duringRead: () => void = () => undefined;

  contexts(accountIds: readonly string[]): Promise<Map<string, AccountUsageContext>> {
    this.reads.push([...accountIds]);
    const found = new Map<string, AccountUsageContext>();
    for (const accountId of accountIds) {
      const planCode = this.plans.get(accountId);
      if (planCode) found.set(accountId, context(accountId, planCode));
    }
    this.duringRead();
    return Promise.resolve(found);
  }
}

function context(accountId: string, planCode: string): AccountUsageContext {
  return { accountId, planCode, signedUpAt: new Date(Date.UTC(2029, 0, 1)), subscription: null, addOns: [] };
}

function setup(maxAccounts = 10) {
  const feed = new FakeFeed();
  const source = new FakeSource();
  let nowMs = T0;
  const sut = new UsageContextCache({
    changes: feed,
    source,
    maxAccounts,
    ttlMs: 10 * MIN,
    now: () => new Date(nowMs),
  });
  source.plans.set('a', 'free').set('b', 'pro');
  return { feed, source, sut, advance: (ms: number) => (nowMs += ms) };
}

const plans = (found: Map<string, AccountUsageContext>) =>
  Object.fromEntries([...found].map(([id, c]) => [id, c.planCode]));

describe('UsageContextCache', () => {
  it('reads an account once, then serves it from memory', async () => {
    const { source, sut } = setup();
    expect(plans(await sut.contexts(['a', 'b']))).toEqual({ a: 'free', b: 'pro' });
    expect(plans(await sut.contexts(['b', 'a']))).toEqual({ a: 'free', b: 'pro' });
    expect(source.reads).toEqual([['a', 'b']]);
  });

  it('reads again an account whose state changed, and only that one', async () => {
    const { feed, source, sut } = setup();
    await sut.contexts(['a', 'b']);
    source.plans.set('a', 'pro');
    feed.changed('a');
    expect(plans(await sut.contexts(['a', 'b']))).toEqual({ a: 'pro', b: 'pro' });
    expect(source.reads).toEqual([['a', 'b'], ['a']]);
  });

  it('forgets a deleted or re-keyed account as soon as the change is announced', async () => {
    const { feed, source, sut } = setup();
    await sut.contexts(['a', 'b']);
    source.plans.delete('a');
    source.plans.delete('b');
    source.plans.set('b2', 'pro');
    feed.changed('a');
    feed.changed('b', 'b2');
    expect(plans(await sut.contexts(['a', 'b', 'b2']))).toEqual({ b2: 'pro' });
  });

  it('never keeps an unknown account: created later, it is found at once', async () => {
    const { source, sut } = setup();
    expect(plans(await sut.contexts(['new']))).toEqual({});
    source.plans.set('new', 'free');
    expect(plans(await sut.contexts(['new']))).toEqual({ new: 'free' });
    expect(source.reads).toEqual([['new'], ['new']]);
  });

  it("answers only the accounts asked for, never another account's context", async () => {
    const { sut } = setup();
    await sut.contexts(['a', 'b']);
    const found = await sut.contexts(['a', 'stranger']);
    expect([...found.keys()]).toEqual(['a']);
    expect(found.get('a')?.accountId).toBe('a');
  });

  it('does not keep a read that a change overtook', async () => {
    const { feed, source, sut } = setup();
    source.duringRead = () => {
      source.plans.set('a', 'pro');
      feed.changed('a');
    };
    expect(plans(await sut.contexts(['a']))).toEqual({ a: 'free' });
    source.duringRead = () => undefined;
    expect(plans(await sut.contexts(['a']))).toEqual({ a: 'pro' });
    expect(source.reads).toEqual([['a'], ['a']]);
  });

  it('serves and keeps nothing while the feed is not live, and forgets everything on a reset', async () => {
    const { feed, source, sut } = setup();
    await sut.contexts(['a']);
    feed.live = false;
    await sut.contexts(['a']);
    await sut.contexts(['a']);
    feed.live = true;
    feed.reset();
    expect(sut.size).toBe(0);
    await sut.contexts(['a']);
    expect(source.reads).toEqual([['a'], ['a'], ['a'], ['a']]);
  });

  it('reads an account again once its time to live has passed', async () => {
    const { source, sut, advance } = setup();
    await sut.contexts(['a']);
    advance(10 * MIN - 1);
    await sut.contexts(['a']);
    advance(1);
    await sut.contexts(['a']);
    expect(source.reads).toEqual([['a'], ['a']]);
  });

  it('reads an account again when the clock is set back before the read it keeps', async () => {
    const { source, sut, advance } = setup();
    await sut.contexts(['a']);
    advance(-1);
    await sut.contexts(['a']);
    expect(source.reads).toEqual([['a'], ['a']]);
  });

  it('keeps at most maxAccounts, dropping the least recently used', async () => {
    const { source, sut } = setup(1);
    await sut.contexts(['a']);
    await sut.contexts(['b']);
    await sut.contexts(['a']);
    expect(sut.size).toBe(1);
    expect(source.reads).toEqual([['a'], ['b'], ['a']]);
  });
});
