import type { Logger } from './logger';

export interface PollingLoop {
  /** Starts the loop (no-op when running). */
  start(): void;
  /** Stops the loop and waits for the round in flight. */
  stop(): Promise<void>;
  /** Runs a round now rather than at the next poll; a wake during a round runs another one after it. */
  wake(): void;
  readonly running: boolean;
}

/**
 * A worker that polls PostgreSQL: `round` claims and does a batch of work and answers how much it
 * did. Rounds follow each other at once while there is work, else every `pollMs` or at a `wake()`.
 * A failed round is logged and the loop goes on after the poll interval.
 */
export function pollingLoop(options: {
  name: string;
  round: () => Promise<number>;
  pollMs: () => number;
  logger: Logger;
}): PollingLoop {
  let running = false;
  let loop: Promise<void> | undefined;
  // NOTE: set by a wake that arrives while a round runs: the round may have looked before the
  // woken-for work was committed, so the loop must look again before it sleeps.
  let woken = false;
  let interrupt: (() => void) | undefined;

  const sleep = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, options.pollMs());
      function done() {
        clearTimeout(timer);
        interrupt = undefined;
        resolve();
      }
      interrupt = done;
    });

  const run = async () => {
    while (running) {
      woken = false;
      let done = 0;
      try {
        done = await options.round();
      } catch (error) {
        options.logger.error(`${options.name} failed`, { error: error instanceof Error ? error.message : error });
      }
      if (done === 0 && !woken && running) await sleep();
    }
  };

  return {
    get running() {
      return running;
    },
    start: () => {
      if (running) return;
      running = true;
      loop = run();
    },
    stop: async () => {
      running = false;
      interrupt?.();
      await loop;
      loop = undefined;
    },
    wake: () => {
      woken = true;
      interrupt?.();
    },
  };
}
