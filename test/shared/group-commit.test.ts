import { GroupCommit } from '../../src/shared/database/group-commit';

/** A flush the test releases by hand, recording each batch it was given. */
function heldFlush(options: { refuse?: (item: number) => boolean } = {}) {
  const batches: number[][] = [];
  const releases: Array<() => void> = [];
  const flush = (items: readonly number[]): Promise<string[]> => {
    batches.push([...items]);
    return new Promise((resolve, reject) => {
      releases.push(() => {
        const refused = items.find((item) => options.refuse?.(item));
        if (refused !== undefined) reject(new Error(`refused ${refused}`));
        else resolve(items.map((item) => `ok ${item}`));
      });
    });
  };
  /** Releases the oldest outstanding flush and lets its continuations run. */
  const releaseNext = async () => {
    const release = releases.shift();
    if (!release) throw new Error('no flush outstanding');
    release();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { batches, flush, releaseNext, outstanding: () => releases.length };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('sends a lone write at once, alone, with nothing waiting for a timer', async () => {
    const held = heldFlush();
    const commit = new GroupCommit({ flush: held.flush, maxInFlight: 2, maxBatch: 10 });
    const written = commit.submit(1);
    expect(held.batches).toEqual([[1]]);
    await held.releaseNext();
    await expect(written).resolves.toBe('ok 1');
  });

  it('keeps at most maxInFlight statements outstanding and sends what queued meanwhile together', async () => {
    const held = heldFlush();
    const commit = new GroupCommit({ flush: held.flush, maxInFlight: 2, maxBatch: 10 });
    const results = Array.from({ length: 7 }, (_, index) => commit.submit(index));
    // The first two took the two slots alone; the other five wait for a slot.
    expect(held.batches).toEqual([[0], [1]]);
    expect(commit.waiting).toBe(5);
    await held.releaseNext();
    expect(held.batches).toEqual([[0], [1], [2, 3, 4, 5, 6]]);
    expect(held.outstanding()).toBe(2);
    await held.releaseNext();
    await held.releaseNext();
    await expect(Promise.all(results)).resolves.toEqual([0, 1, 2, 3, 4, 5, 6].map((item) => `ok ${item}`));
    expect(commit.waiting).toBe(0);
  });

  it('puts at most maxBatch items in one statement', async () => {
    const held = heldFlush();
    const commit = new GroupCommit({ flush: held.flush, maxInFlight: 1, maxBatch: 3 });
    const results = Array.from({ length: 8 }, (_, index) => commit.submit(index));
    while (held.outstanding() > 0) await held.releaseNext();
    await Promise.all(results);
    expect(held.batches).toEqual([[0], [1, 2, 3], [4, 5, 6], [7]]);
  });

  it('retries a refused batch item by item: only the refused item fails, its neighbours are written', async () => {
    const held = heldFlush({ refuse: (item) => item === 3 });
    const commit = new GroupCommit({ flush: held.flush, maxInFlight: 1, maxBatch: 10 });
    const results = Array.from({ length: 5 }, (_, index) =>
      commit.submit(index).catch((error: Error) => error.message),
    );
    while (held.outstanding() > 0 || commit.waiting > 0) await held.releaseNext();
    expect(await Promise.all(results)).toEqual(['ok 0', 'ok 1', 'ok 2', 'refused 3', 'ok 4']);
    // [1..4] together, refused as a whole, then each alone.
    expect(held.batches).toEqual([[0], [1, 2, 3, 4], [1], [2], [3], [4]]);
  });

  it('fails the whole batch at once when retryAlone declines the error (the database is unreachable)', async () => {
    const held = heldFlush({ refuse: () => true });
    const commit = new GroupCommit({
      flush: held.flush,
      maxInFlight: 1,
      maxBatch: 10,
      retryAlone: (error) => !String(error).includes('refused'),
    });
    const results = Array.from({ length: 4 }, (_, index) =>
      commit.submit(index).catch((error: Error) => error.message),
    );
    while (held.outstanding() > 0 || commit.waiting > 0) await held.releaseNext();
    expect(await Promise.all(results)).toEqual(['refused 0', 'refused 1', 'refused 1', 'refused 1']);
    // [0] alone, then [1, 2, 3] together and refused together: no attempt item by item.
    expect(held.batches).toEqual([[0], [1, 2, 3]]);
  });

  it('rejects every item of a flush that answers the wrong number of results, and keeps going', async () => {
    let calls = 0;
    const commit = new GroupCommit<number, number>({
      flush: async (items) => {
        calls += 1;
        return calls === 1 ? [] : items.map((item) => item * 10);
      },
      maxInFlight: 1,
      maxBatch: 10,
    });
    await expect(commit.submit(1)).rejects.toThrow(/answered 0 results for 1 items/);
    await expect(commit.submit(2)).resolves.toBe(20);
  });

  it('refuses settings that could never write', () => {
    const flush = async (items: readonly number[]) => [...items];
    expect(() => new GroupCommit({ flush, maxInFlight: 0, maxBatch: 1 })).toThrow(RangeError);
    expect(() => new GroupCommit({ flush, maxInFlight: 1, maxBatch: 0 })).toThrow(RangeError);
  });

  it('frees the slot of a failed flush for the writes that arrive next', async () => {
    const held = heldFlush({ refuse: (item) => item === 0 });
    const commit = new GroupCommit({ flush: held.flush, maxInFlight: 1, maxBatch: 10 });
    const first = commit.submit(0).catch((error: Error) => error.message);
    await held.releaseNext();
    expect(await first).toBe('refused 0');
    const next = commit.submit(1);
    await tick();
    await held.releaseNext();
    await expect(next).resolves.toBe('ok 1');
  });
});
