import type { Stripe, StripeClient } from '../stripe/stripe-client';
import type { LocalClock } from './local-clock';

/**
 * Local mode's one clock, as Stripe test mode keeps time: every customer the service creates
 * lives on a test clock of its own, started at the service's now, and a skip moves the service's
 * clock and every test clock to the same instant, so Stripe's renewals, `paid_at` dates and
 * events agree with the service's guarantee windows, lifecycle offers and attribution.
 * NOTE: built only by the local-mode start-up (no STRIPE_SECRET_KEY, the emulator in process);
 * never with a real Stripe key. Between skips Stripe's test clocks stand still, as on Stripe.
 */
export interface LocalMode {
  clock: LocalClock;
  /** Extra parameters for creating an account's Stripe customer: its own test clock. */
  newCustomer(accountId: string): Promise<Pick<Stripe.CustomerCreateParams, 'test_clock'>>;
  /** Moves the service's clock and every test clock forward by whole days; never back. */
  skip(days: number): Promise<SkipResult>;
}

export interface SkipResult {
  now: Date;
  offsetDays: number;
  /** How many test clocks were moved to `now`. */
  testClocks: number;
}

const DAY_MS = 86_400_000;
const READY_POLL_MS = 10;
const READY_TIMEOUT_MS = 60_000;

export function createLocalMode(input: { clock: LocalClock; stripe: StripeClient }): LocalMode {
  const { clock, stripe } = input;
  const clocksOfAccounts = new Map<string, Promise<string>>();
  // NOTE: skips run one after another, so two clicks never advance a test clock twice at once.
  let skipping: Promise<unknown> = Promise.resolve();

  const clockOf = (accountId: string): Promise<string> => {
    let found = clocksOfAccounts.get(accountId);
    if (!found) {
      found = findOrCreateTestClock(stripe, accountId, clock.now());
      clocksOfAccounts.set(accountId, found);
      found.catch(() => clocksOfAccounts.delete(accountId));
    }
    return found;
  };

  return {
    clock,
    newCustomer: async (accountId) => ({ test_clock: await clockOf(accountId) }),
    skip: (days) => {
      const run = skipping.then(async () => {
        const now = clock.moveForward(days * DAY_MS);
        const testClocks = await advanceAllTestClocks(stripe, Math.floor(now.getTime() / 1000));
        return { now, offsetDays: clock.offsetDays(), testClocks };
      });
      skipping = run.catch(() => undefined);
      return run;
    },
  };
}

function clockName(accountId: string): string {
  return `tierlift ${accountId}`;
}

/**
 * The account's test clock: one named after it if an earlier attempt made one (the customer
 * create that should have used it may have failed), else a new one frozen at the service's now.
 * A customer create retried with its idempotency key thus sends the same `test_clock`.
 */
async function findOrCreateTestClock(stripe: StripeClient, accountId: string, now: Date): Promise<string> {
  const name = clockName(accountId);
  for await (const existing of stripe.testHelpers.testClocks.list({ limit: 100 })) {
    if (existing.name === name) return existing.id;
  }
  const created = await stripe.testHelpers.testClocks.create({ frozen_time: Math.floor(now.getTime() / 1000), name });
  return created.id;
}

/** Advances every test clock behind `frozenTime` to it and waits until each is ready (Stripe advances asynchronously). */
async function advanceAllTestClocks(stripe: StripeClient, frozenTime: number): Promise<number> {
  const behind: string[] = [];
  for await (const testClock of stripe.testHelpers.testClocks.list({ limit: 100 })) {
    if (testClock.frozen_time < frozenTime) behind.push(testClock.id);
  }
  for (const id of behind) {
    await waitUntilReady(stripe, id);
    await stripe.testHelpers.testClocks.advance(id, { frozen_time: frozenTime });
    await waitUntilReady(stripe, id);
  }
  return behind.length;
}

async function waitUntilReady(stripe: StripeClient, id: string): Promise<void> {
  for (let waited = 0; waited < READY_TIMEOUT_MS; waited += READY_POLL_MS) {
    const testClock = await stripe.testHelpers.testClocks.retrieve(id);
    if (testClock.status === 'ready') return;
    if (testClock.status === 'internal_failure') throw new Error(`test clock ${id} failed to advance`);
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
  throw new Error(`test clock ${id} did not finish advancing`);
}
