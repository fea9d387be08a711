import { FakeFeed } from './support/fake-account-feed';
import { EntitlementCache, validUntil } from '../../src/usage/entitlement-cache';
import type { AccountEntitlements } from '../../src/usage/read-entitlements';

const T0 = Date.UTC(2030, 0, 10);
const MIN = 60_000;

function read(accountId: string, asOfMs: number, over: { periodEndMs?: number; trialEndMs?: number } = {}) {
  const period = { start: new Date(Date.UTC(2030, 0, 1)), end: new Date(over.periodEndMs ?? Date.UTC(2030, 1, 1)) };
  const value: AccountEntitlements = {
    accountId,
    planCode: 'free',
    period,
    asOf: new Date(asOfMs),
    entitlements: [
      { feature: 'api_calls', type: 'metered', kind: 'counter', limit: 10, used: 1, remaining: 9, percent: 10, period },
    ],
    context: {
      accountId,
      planCode: 'free',
      signedUpAt: new Date(Date.UTC(2029, 0, 1)),
      subscription: null,
      addOns: [],
      reverseTrial: over.trialEndMs ? { planCode: 'pro', endsAt: new Date(over.trialEndMs) } : null,
    },
    allowance: { planCode: 'free', limits: new Map(), enabled: new Set() },
  };
  return value;
}

function setup(maxAccounts = 10) {
  const feed = new FakeFeed();
  const sut = new EntitlementCache({ changes: feed, maxAccounts, ttlMs: 10 * MIN });
  return { feed, sut };
}

describe('EntitlementCache', () => {
  it('serves a stored read until its account changes', () => {
    const { feed, sut } = setup();
    const value = read('a', T0);
    expect(sut.store('a', sut.ticket(), value)).toBe(true);
    expect(sut.get('a', new Date(T0 + MIN))).toBe(value);
    feed.changed('b');
    expect(sut.get('a', new Date(T0 + MIN))).toBe(value);
    feed.changed('a');
    expect(sut.get('a', new Date(T0 + MIN))).toBeUndefined();
  });

  it('refuses a read that a change to its account overtook', () => {
    const { feed, sut } = setup();
    const ticket = sut.ticket();
    feed.changed('a');
    expect(sut.store('a', ticket, read('a', T0))).toBe(false);
    expect(sut.store('b', ticket, read('b', T0))).toBe(true);
  });

  it('neither stores nor serves while the feed is not live', () => {
    const { feed, sut } = setup();
    sut.store('a', sut.ticket(), read('a', T0));
    feed.live = false;
    expect(sut.get('a', new Date(T0))).toBeUndefined();
    expect(sut.store('a', sut.ticket(), read('a', T0))).toBe(false);
    feed.live = true;
    expect(sut.get('a', new Date(T0))).toBeUndefined();
  });

  it('forgets everything and refuses older tickets after a reset', () => {
    const { feed, sut } = setup();
    const ticket = sut.ticket();
    sut.store('a', ticket, read('a', T0));
    feed.reset();
    expect(sut.size).toBe(0);
    expect(sut.store('b', ticket, read('b', T0))).toBe(false);
  });

  it('stops serving at the end of a period the read counts in, and before the instant it was read', () => {
    const { sut } = setup();
    const periodEnd = T0 + 5 * MIN;
    sut.store('a', sut.ticket(), read('a', T0, { periodEndMs: periodEnd }));
    expect(sut.get('a', new Date(periodEnd - 1))).toBeDefined();
    expect(sut.get('a', new Date(periodEnd))).toBeUndefined();
    sut.store('b', sut.ticket(), read('b', T0));
    expect(sut.get('b', new Date(T0 - 1))).toBeUndefined();
  });

  it('stops serving when a running reverse trial ends, and ignores one already over', () => {
    expect(validUntil(read('a', T0, { trialEndMs: T0 + MIN }))).toBe(T0 + MIN);
    expect(validUntil(read('a', T0, { trialEndMs: T0 - MIN }))).toBe(Date.UTC(2030, 1, 1));
  });

  it('keeps at most maxAccounts, dropping the least recently read', () => {
    const { sut } = setup(2);
    sut.store('a', sut.ticket(), read('a', T0));
    sut.store('b', sut.ticket(), read('b', T0));
    sut.get('a', new Date(T0));
    sut.store('c', sut.ticket(), read('c', T0));
    expect(sut.size).toBe(2);
    expect(sut.get('b', new Date(T0))).toBeUndefined();
    expect(sut.get('a', new Date(T0))).toBeDefined();
  });
});
