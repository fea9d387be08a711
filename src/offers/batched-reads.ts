interface Waiting<K, V> {
  key: K;
  resolve(value: V): void;
  reject(error: unknown): void;
}

/**
 * Reads by key, several keys to one read while the earlier reads are still out: at most
 * `concurrent` reads run; a key asked for meanwhile waits, and the keys waiting go together (up
 * to `maxBatch`) as soon as one read returns. An idle reader sends a key at once (no added delay);
 * a busy one pays one round trip for many keys instead of one each.
 * `read` answers in the order of the keys it was given; its failure fails every key of its batch.
 */
export class BatchedReads<K, V> {
  private readonly waiting: Array<Waiting<K, V>> = [];
  private running = 0;

  constructor(
    private readonly read: (keys: K[]) => Promise<V[]>,
    private readonly options: { concurrent: number; maxBatch: number },
  ) {}

  get(key: K): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      this.waiting.push({ key, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.options.concurrent && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.maxBatch);
      this.running += 1;
      this.read(batch.map((w) => w.key))
        .then(
          (values) => batch.forEach((w, i) => w.resolve(values[i] as V)),
          (error: unknown) => batch.forEach((w) => w.reject(error)),
        )
        .finally(() => {
          this.running -= 1;
          this.pump();
        });
    }
  }
}
