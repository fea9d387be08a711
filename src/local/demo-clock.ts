/**
 * The demo's "skip ahead" control: moves the service clock forward in local mode so offers that
 * wait for their day (a training a week after an upgrade) can be seen without waiting.
 * Every time-dependent decision reads `clock.now()` from the composition root's one clock
 * object; this wraps that object's `now` once and adds an offset. Never installed in production.
 */
export interface DemoClock {
  advance(days: number): void;
  offsetDays(): number;
  now(): Date;
}

const DAY_MS = 86_400_000;

export function installDemoClock(clock: { now(): Date }): DemoClock {
  const real = clock.now.bind(clock);
  let offsetMs = 0;
  clock.now = () => new Date(real().getTime() + offsetMs);
  return {
    advance: (days) => {
      offsetMs += days * DAY_MS;
    },
    offsetDays: () => offsetMs / DAY_MS,
    now: () => clock.now(),
  };
}
