/**
 * Group commit: writes that arrive while earlier ones are in flight are sent together, as one
 * statement and one commit, instead of one round trip each.
 *
 * NOTE: there is no timer. A write that finds a free slot (fewer than `maxInFlight` statements
 * outstanding) is sent at once, alone, so a lone write waits for nothing; only writes that arrive
 * while every slot is busy queue, and the next free slot takes all of them (up to `maxBatch`). The
 * batch grows with the load by itself, which is what makes it cheap under load: on this machine a
 * round trip to PostgreSQL is mostly syscalls and a wake-up of the backend, paid once per statement.
 *
 * A failed batch of more than one item is tried again item by item, so one write PostgreSQL refuses
 * fails alone and its neighbours, which did nothing wrong, still commit. A batch statement is atomic,
 * so nothing of the failed batch was written before the retry. An error `retryAlone` declines (the
 * database is unreachable: every item would fail the same way, one connection timeout after another)
 * fails the whole batch at once.
 */
export interface GroupCommitOptions<I, R> {
  /** Writes `items` in one statement; answers one result per item, in order. */
  flush(items: readonly I[]): Promise<R[]>;
  /** Statements outstanding at once (each holds one pool connection while it runs). */
  maxInFlight: number;
  /** Items per statement at most. */
  maxBatch: number;
  /** Whether a failed batch is worth trying item by item; every failure is, unless this says no. */
  retryAlone?: (error: unknown) => boolean;
}

interface Pending<I, R> {
  item: I;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export class GroupCommit<I, R> {
  private readonly queue: Pending<I, R>[] = [];
  private inFlight = 0;

  constructor(private readonly options: GroupCommitOptions<I, R>) {
    if (options.maxInFlight < 1 || options.maxBatch < 1)
      throw new RangeError('maxInFlight and maxBatch must be at least 1');
  }

  /** Resolves once `item` is written (with its own result), or rejects with the reason it was not. */
  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  /** Writes waiting for a slot (for metrics and tests). */
  get waiting(): number {
    return this.queue.length;
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.inFlight += 1;
      void this.write(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async write(batch: Pending<I, R>[]): Promise<void> {
    try {
      settle(batch, await this.flushChecked(batch));
    } catch (error) {
      if (batch.length === 1 || this.options.retryAlone?.(error) === false) {
        for (const pending of batch) pending.reject(error);
        return;
      }
      // One at a time, in the same slot: the others keep their slots for new arrivals.
      for (const pending of batch) {
        try {
          settle([pending], await this.flushChecked([pending]));
        } catch (alone) {
          pending.reject(alone);
        }
      }
    }
  }

  private async flushChecked(batch: Pending<I, R>[]): Promise<R[]> {
    const results = await this.options.flush(batch.map((pending) => pending.item));
    if (results.length !== batch.length) {
      throw new Error(`group commit: flush answered ${results.length} results for ${batch.length} items`);
    }
    return results;
  }
}

/** `results` has one entry per item (flushChecked made sure). */
function settle<I, R>(batch: Pending<I, R>[], results: R[]): void {
  batch.forEach((pending, index) => pending.resolve(results[index] as R));
}
