import type { CustomerClocks } from '../billing/stripe-customers';
import type { Stripe, StripeClient } from '../stripe/stripe-client';
import type { LocalClock } from './local-clock';

/**
 * Local mode's one clock, as Stripe test mode keeps time: every customer the service creates
 * lives on a test clock of its own, started at the service's now, and a skip moves the service's
 * clock and every test clock to the same instant, so Stripe's renewals, `paid_at` dates and
 * events agree with the service's guarantee windows, lifecycle offers and attribution.
 * Test clocks stand still between advances (as on Stripe) while the service's clock runs on real
 * time, so billing also brings a customer's test clock level before it quotes or acts for it:
 * Stripe's `paid_at` is then never before the click or quote that led to the payment.
 * NOTE: built only by the local-mode start-up (no STRIPE_SECRET_KEY, the emulator in process);
 * never with a real Stripe key.
 */
export interface LocalMode {
  clock: LocalClock;
  /** Billing's hook: a test clock per new customer, caught up with the service before each use. */
  customerClocks: CustomerClocks;
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
  // NOTE: advances run one after another, so a skip and a catch-up never advance a test clock at once.
  let queue: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work);
    queue = run.catch(() => undefined);
    return run;
  };
  const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);

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
    customerClocks: {
      forNewCustomer: clockOf,
      catchUp: async (customerId) => {
        const customer = await stripe.customers.retrieve(customerId);
        const testClock = 'deleted' in customer && customer.deleted ? null : (customer as Stripe.Customer).test_clock;
        const id = typeof testClock === 'string' ? testClock : (testClock?.id ?? null);
        if (id) await inTurn(() => advanceTestClock(stripe, id, nowSeconds()));
      },
    },
    skip: (days) =>
      inTurn(async () => {
        const now = clock.moveForward(days * DAY_MS);
        const testClocks = await advanceAllTestClocks(stripe, Math.floor(now.getTime() / 1000));
        return { now, offsetDays: clock.offsetDays(), testClocks };
      }),
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
  for (const id of behind) await advanceTestClock(stripe, id, frozenTime);
  return behind.length;
}

/** Advances one test clock to `frozenTime` unless it is there already, and waits until Stripe has run what fell due. */
async function advanceTestClock(stripe: StripeClient, id: string, frozenTime: number): Promise<void> {
  const current = await waitUntilReady(stripe, id);
  if (current.frozen_time >= frozenTime) return;
  await stripe.testHelpers.testClocks.advance(id, { frozen_time: frozenTime });
  await waitUntilReady(stripe, id);
}

async function waitUntilReady(stripe: StripeClient, id: string): Promise<Stripe.TestHelpers.TestClock> {
  for (let waited = 0; waited < READY_TIMEOUT_MS; waited += READY_POLL_MS) {
    const testClock = await stripe.testHelpers.testClocks.retrieve(id);
    if (testClock.status === 'ready') return testClock;
    if (testClock.status === 'internal_failure') throw new Error(`test clock ${id} failed to advance`);
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
  throw new Error(`test clock ${id} did not finish advancing`);
}
