import { FakeFeed } from './support/fake-account-feed';
import { EntitlementChangeStream, type StreamListener } from '../../src/usage/entitlement-stream';

function listener() {
  const frames: string[] = [];
  let ended = false;
  const sut: StreamListener = { send: (f) => frames.push(f), end: () => (ended = true) };
  return { sut, frames, ended: () => ended };
}

const idOf = (frame: string) => /^id: (.+)$/m.exec(frame)?.[1];
const eventOf = (frame: string) => /^event: (.+)$/m.exec(frame)?.[1];

function setup(bufferSize = 100) {
  const feed = new FakeFeed();
  const stream = new EntitlementChangeStream({ changes: feed, bufferSize, heartbeatMs: 60_000 });
  return { feed, stream };
}

describe('EntitlementChangeStream', () => {
  it('starts a new listener with a resync, then names each changed account set', () => {
    const { feed, stream } = setup();
    const l = listener();
    stream.connect(l.sut, undefined);
    feed.emit({ kind: 'accounts', accountIds: ['a', 'b'] });
    expect(l.frames.map(eventOf)).toEqual(['resync', 'changed']);
    expect(l.frames[1]).toContain('data: {"account_ids":["a","b"]}');
  });

  it('replays what a listener missed when it comes back with its last event id', () => {
    const { feed, stream } = setup();
    const first = listener();
    const disconnect = stream.connect(first.sut, undefined);
    feed.emit({ kind: 'accounts', accountIds: ['a'] });
    const lastId = idOf(first.frames[1] ?? '');
    disconnect();
    feed.emit({ kind: 'accounts', accountIds: ['b'] });
    feed.emit({ kind: 'accounts', accountIds: ['c'] });
    const again = listener();
    stream.connect(again.sut, lastId);
    expect(again.frames.map(eventOf)).toEqual(['changed', 'changed']);
    expect(again.frames.join('')).toContain('["b"]');
    expect(again.frames.join('')).toContain('["c"]');
  });

  it('says resync to an id it cannot replay from: another instance, a gap older than its buffer, garbage', () => {
    const { feed, stream } = setup(2);
    const first = listener();
    stream.connect(first.sut, undefined);
    feed.emit({ kind: 'accounts', accountIds: ['a'] });
    const oldId = idOf(first.frames[1] ?? '');
    for (const id of ['b', 'c', 'd']) feed.emit({ kind: 'accounts', accountIds: [id] });
    for (const lastId of [oldId, '0123456789ab-1', 'nonsense']) {
      const l = listener();
      stream.connect(l.sut, lastId);
      expect(l.frames.map(eventOf)).toEqual(['resync']);
    }
  });

  it('ends every listener when the feed resets, and a listener from before it cannot replay across it', () => {
    const { feed, stream } = setup();
    const l = listener();
    stream.connect(l.sut, undefined);
    const lastId = idOf(l.frames[0] ?? '');
    feed.emit({ kind: 'reset' });
    expect(l.ended()).toBe(true);
    expect(stream.size).toBe(0);
    const again = listener();
    stream.connect(again.sut, lastId);
    expect(again.frames.map(eventOf)).toEqual(['resync']);
  });

  it('is unavailable while the feed is not live', () => {
    const { feed, stream } = setup();
    expect(stream.available).toBe(true);
    feed.live = false;
    expect(stream.available).toBe(false);
  });

  it('on close, ends every listener and becomes unavailable (a shutdown does not wait for streams)', () => {
    const { stream } = setup();
    const l = listener();
    stream.connect(l.sut, undefined);
    stream.close();
    expect(l.ended()).toBe(true);
    expect(stream.size).toBe(0);
    expect(stream.available).toBe(false);
  });

  it('merges the changes heard within coalesceMs into one event, without losing any', () => {
    jest.useFakeTimers();
    try {
      const feed = new FakeFeed();
      const stream = new EntitlementChangeStream({
        changes: feed,
        bufferSize: 100,
        heartbeatMs: 60_000,
        coalesceMs: 10,
      });
      const l = listener();
      stream.connect(l.sut, undefined);
      feed.emit({ kind: 'accounts', accountIds: ['a'] });
      feed.emit({ kind: 'accounts', accountIds: ['a', 'b'] });
      expect(l.frames.map(eventOf)).toEqual(['resync']);
      jest.advanceTimersByTime(10);
      feed.emit({ kind: 'accounts', accountIds: ['a'] });
      jest.advanceTimersByTime(10);
      expect(l.frames.slice(1)).toEqual([
        expect.stringContaining('data: {"account_ids":["a","b"]}'),
        expect.stringContaining('data: {"account_ids":["a"]}'),
      ]);
      stream.close();
    } finally {
      jest.useRealTimers();
    }
  });
});
