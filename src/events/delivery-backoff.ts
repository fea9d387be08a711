import { exponentialDelayMs } from '../shared/exponential-backoff';

/** Retries go on at least this long after a delivery's first attempt, then it fails for good. */
export const RETRY_SPAN_MS = 3 * 24 * 3_600_000;
const FIRST_DELAY_MS = 5_000;
const MAX_DELAY_MS = 6 * 3_600_000;

/**
 * The wait after failed attempt number `attempt` (1 = the first): 5 s doubling each time, at most
 * 6 hours, ±20% at random so endpoints that failed together do not all come back together.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  return exponentialDelayMs({ attempt, firstMs: FIRST_DELAY_MS, maxMs: MAX_DELAY_MS, random });
}

/** After a failed attempt: when to try again, or null when retrying has lasted long enough. */
export function nextAttemptAt(input: { attempt: number; firstAttemptAt: Date; now: Date; random?: () => number }) {
  if (input.now.getTime() - input.firstAttemptAt.getTime() >= RETRY_SPAN_MS) return null;
  return new Date(input.now.getTime() + retryDelayMs(input.attempt, input.random));
}
