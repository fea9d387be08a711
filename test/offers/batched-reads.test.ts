import { BatchedReads } from '../../src/offers/batched-reads';

/** A read whose answers the test releases by hand: it records each batch of keys it was given. */
function controlledRead() {
  const batches: string[][] = [];
  const pending: Array<{ keys: string[]; resolve(v: string[]): void; reject(e: unknown): void }> = [];
  const read = (keys: string[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push(keys);
      pending.push({ keys, resolve, reject });
    });
  const answer = (index: number) => pending[index]?.resolve(pending[index].keys.map((k) => `row:${k}`));
  return { read, batches, pending, answer };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('batched reads', () => {
  it('sends a key at once while fewer reads than allowed are out', async () => {
    const { read, batches, answer } = controlledRead();
    const sut = new BatchedReads(read, { concurrent: 2, maxBatch: 10 });
    const a = sut.get('a');
    const b = sut.get('b');
    expect(batches).toEqual([['a'], ['b']]);
    answer(0);
    answer(1);
    await expect(Promise.all([a, b])).resolves.toEqual(['row:a', 'row:b']);
  });

  it('sends the keys asked for while busy together, each answered with its own row, when a read returns', async () => {
    const { read, batches, answer } = controlledRead();
    const sut = new BatchedReads(read, { concurrent: 1, maxBatch: 10 });
    const first = sut.get('a');
    const waiting = ['b', 'c', 'b'].map((k) => sut.get(k));
    expect(batches).toEqual([['a']]);
    answer(0);
    await settle();
    expect(batches).toEqual([['a'], ['b', 'c', 'b']]);
    answer(1);
    await expect(first).resolves.toBe('row:a');
    await expect(Promise.all(waiting)).resolves.toEqual(['row:b', 'row:c', 'row:b']);
  });

  it('caps a batch at maxBatch keys and sends the rest in the next read', async () => {
    const { read, batches, answer } = controlledRead();
    const sut = new BatchedReads(read, { concurrent: 1, maxBatch: 2 });
    const all = ['a', 'b', 'c', 'd'].map((k) => sut.get(k));
    answer(0);
    await settle();
    answer(1);
    await settle();
    answer(2);
    await expect(Promise.all(all)).resolves.toEqual(['row:a', 'row:b', 'row:c', 'row:d']);
    expect(batches).toEqual([['a'], ['b', 'c'], ['d']]);
  });

  it('fails every key of a failed read, and only those', async () => {
    const { read, pending, answer } = controlledRead();
    const sut = new BatchedReads(read, { concurrent: 1, maxBatch: 10 });
    const first = sut.get('a');
    const second = [sut.get('b'), sut.get('c')];
    pending[0]?.reject(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await settle();
    answer(1);
    await expect(Promise.all(second)).resolves.toEqual(['row:b', 'row:c']);
  });
});
