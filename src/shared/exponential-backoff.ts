/**
 * The wait after failed attempt number `attempt` (1 = the first): `firstMs` doubling each time, at
 * most `maxMs`, ±20% at random so work that failed together does not all come back together.
 */
export function exponentialDelayMs(input: {
  attempt: number;
  firstMs: number;
  maxMs: number;
  random?: () => number;
}): number {
  const base = Math.min(input.firstMs * 2 ** Math.max(0, input.attempt - 1), input.maxMs);
  return Math.round(base * (0.8 + 0.4 * (input.random ?? Math.random)()));
}
