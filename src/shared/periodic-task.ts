import type { Logger } from './logger';

export interface PeriodicTask {
  /** Runs the task now, then every `intervalMs`. */
  start(intervalMs: number): Promise<void>;
  /** Stops the timer and waits for a run in flight. */
  stop(): Promise<void>;
}

/**
 * A background job on a timer (the janitors). A tick is skipped while the previous run
 * is still going, so runs never overlap; a failed run is logged and the next tick retries.
 */
export function periodicTask(name: string, run: () => Promise<unknown>, logger: Logger): PeriodicTask {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const tick = (): Promise<void> => {
    if (running) return running;
    running = run()
      .then(
        () => undefined,
        (error: unknown) => {
          logger.error(`${name} failed`, { error: String(error) });
        },
      )
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  return {
    start: async (intervalMs) => {
      await tick();
      timer = setInterval(() => void tick(), intervalMs);
      timer.unref();
    },
    stop: async () => {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
