import { createLogger } from '../../src/shared/logger';
import { pollingLoop } from '../../src/shared/polling-loop';

const logger = createLogger({ level: 'error', format: 'json', silent: true });
/** A poll interval no test waits for: only work found or a wake may start another round. */
const NEVER_MS = 3_600_000;

/** A round that answers the counts given, then 0, and tells when it has run `n` times. */
function scriptedRounds(counts: number[]) {
  let calls = 0;
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  return {
    get calls() {
      return calls;
    },
    round: async () => {
      calls += 1;
      for (const waiter of waiters.filter((w) => w.n <= calls)) waiter.resolve();
      return counts[calls - 1] ?? 0;
    },
    ran: (n: number) => new Promise<void>((resolve) => (calls >= n ? resolve() : waiters.push({ n, resolve }))),
  };
}

describe('pollingLoop', () => {
  it('runs rounds back to back while they find work, then sleeps until the poll', async () => {
    const script = scriptedRounds([3, 2, 0]);
    const sut = pollingLoop({ name: 'test', round: script.round, pollMs: () => NEVER_MS, logger });
    sut.start();
    await script.ran(3);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(script.calls).toBe(3);
    await sut.stop();
  });

  it('runs another round when woken during a round that found nothing, instead of sleeping', async () => {
    let sut: ReturnType<typeof pollingLoop> | undefined;
    let calls = 0;
    const second = new Promise<void>((resolve) => {
      sut = pollingLoop({
        name: 'test',
        pollMs: () => NEVER_MS,
        logger,
        round: async () => {
          calls += 1;
          // Work is committed while this round looks (too early to see it) and wakes the loop.
          if (calls === 1) sut?.wake();
          if (calls === 2) resolve();
          return 0;
        },
      });
    });
    sut?.start();
    await second;
    expect(calls).toBe(2);
    await sut?.stop();
  });

  it('wakes from its sleep at once, and stops without waiting for the poll', async () => {
    const script = scriptedRounds([]);
    const sut = pollingLoop({ name: 'test', round: script.round, pollMs: () => NEVER_MS, logger });
    sut.start();
    await script.ran(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    sut.wake();
    await script.ran(2);
    await sut.stop();
    expect(sut.running).toBe(false);
    expect(script.calls).toBe(2);
  });

  it('goes on after a failed round', async () => {
    let calls = 0;
    const sut = pollingLoop({
      name: 'test',
      pollMs: () => 10,
      logger,
      round: async () => {
        calls += 1;
        if (calls === 1) throw new Error('database gone');
        return 0;
      },
    });
    sut.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await sut.stop();
    expect(calls).toBeGreaterThan(1);
  });
});
