import type { LocalMode } from './local-mode';

/**
 * The demo's "skip ahead" control: moves time forward so offers that wait for their day (a
 * training a week after an upgrade), guarantee windows and renewals can be seen without waiting.
 * In local mode it is the local mode's one clock: the service's clock and every customer's
 * Stripe test clock move together, the offset is kept in DATA_DIR, and time never goes back.
 * Never installed in production.
 */
export interface DemoClock {
  /**
   * Moves forward by whole days (> 0) and answers the moment everything was moved to (whole
   * seconds, where Stripe's test clocks stand) and how many test clocks moved along.
   */
  advance(days: number): Promise<{ now: Date; testClocks: number }>;
  offsetDays(): number;
  now(): Date;
}

const DAY_MS = 86_400_000;

export function demoClockOf(deps: { clock: { now(): Date }; local?: LocalMode }): DemoClock {
  const { local } = deps;
  if (!local) return installDemoClock(deps.clock);
  return {
    advance: async (days) => {
      const skipped = await local.skip(days);
      return { now: skipped.now, testClocks: skipped.testClocks };
    },
    offsetDays: () => local.clock.offsetDays(),
    now: () => local.clock.now(),
  };
}

/**
 * Without local mode's Stripe (the demo helpers on an app with no Stripe client, as in tests)
 * there are no test clocks to move: this wraps the composition root's clock once, in memory.
 */
export function installDemoClock(clock: { now(): Date }): DemoClock {
  const real = clock.now.bind(clock);
  let offsetMs = 0;
  clock.now = () => new Date(real().getTime() + offsetMs);
  return {
    advance: async (days) => {
      if (!(days > 0)) throw new Error('the demo clock only moves forward');
      offsetMs += days * DAY_MS;
      return { now: clock.now(), testClocks: 0 };
    },
    offsetDays: () => offsetMs / DAY_MS,
    now: () => clock.now(),
  };
}
