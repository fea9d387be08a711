import crypto from 'node:crypto';
import {
  DAY,
  START,
  advanceClock,
  change,
  quote,
  startBillingHarness,
  useCard,
  type BillingHarness,
} from '../billing/support/billing-harness';
import { bearer, userToken } from '../support/tokens';
import { installCrashPoints, type CrashPoints } from './money-crash-points';
import type { Violation } from './money-invariants';
import type { Fault } from './money-steps';

/** The accounts every run starts with: two paid (bought through Checkout), two free, one trialing pro (for extend_trial). */
export const ACCOUNTS = [
  { name: 'usd-paid', currency: 'usd', country: 'US', paid: true, trial: false },
  { name: 'jpy-paid', currency: 'jpy', country: 'JP', paid: true, trial: false },
  { name: 'usd-free', currency: 'usd', country: 'US', paid: false, trial: false },
  { name: 'kwd-free', currency: 'kwd', country: 'KW', paid: false, trial: false },
  { name: 'usd-trial', currency: 'usd', country: 'US', paid: true, trial: true },
] as const;

export interface ModelAccount {
  name: string;
  currency: string;
  accountId: string;
  customerId: string;
  clockId: string;
  auth: string;
}

/** A started world: the app and emulator with webhooks, its accounts, and the one model time. */
export interface World {
  h: BillingHarness;
  accounts: ModelAccount[];
  /** Unix seconds: every test clock and the service clock stand here. */
  now: number;
  /** Quotes whose POST /v1/changes was answered with a definite refusal (4xx, 502): never to be charged. */
  refused: Map<string, string>;
  /** Operator credits asked for, by their reason (which names their Idempotency-Key): what Stripe must hold once each. */
  credits: Map<string, { account: string; amount: number; answers: string[] }>;
  /** Idempotency-Keys of the journal steps so far (they are numbered, so a replay sends the same ones). */
  keys: number;
  /** What a step saw break while it ran (money-journal-invariants.ts), reported with the invariants after it. */
  observed: Violation[];
  /** Where the app's process may die (money-crash-points.ts). */
  crash: CrashPoints;
}

const query = <T>(w: World, sql: string, params: unknown[] = []): Promise<T[]> => w.h.db.dataSource.query(sql, params);

/**
 * Until the emulator has delivered every event and the worker has processed every stored one.
 * Events that failed (and wait for their retry) get a short grace, then count as unsettled.
 */
export async function webhooksSettled(w: World, timeoutMs = 20_000, failedGraceMs = 4_000): Promise<boolean> {
  const started = Date.now();
  for (;;) {
    await w.h.emulator.control.waitForDeliveries();
    const [open] = await query<{ busy: string; failed: string }>(
      w,
      `SELECT count(*) FILTER (WHERE status IN ('received', 'processing')) AS busy,
              count(*) FILTER (WHERE status = 'failed') AS failed FROM webhook_events`,
    );
    const delivering = (await w.h.emulator.control.pendingDeliveries()).length > 0;
    const busy = Number(open?.busy) > 0 || delivering;
    if (!busy && Number(open?.failed) === 0) return true;
    const elapsed = Date.now() - started;
    if (elapsed > timeoutMs || (!busy && elapsed > failedGraceMs)) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
function setServiceClock(w: World): void {
  const at = w.now * 1000;
  w.h.services.clock.now = () => new Date(at);
}

/**
 * A fresh world. Every customer sits on its own test clock, all moved together, so "now" is one
 * model time; the paid accounts bought pro monthly through Checkout like any customer (so their
 * first charge is a purchase the revenue report knows); `usd-trial` took pro's trial the same way.
 */
export async function startWorld(): Promise<World> {
  const h = await startBillingHarness({ webhooks: true });
  const now = START + 15 * DAY;
  const w: World = {
    h,
    accounts: [],
    now,
    refused: new Map(),
    credits: new Map(),
    keys: 0,
    observed: [],
    crash: installCrashPoints(h.db.dataSource),
  };
  setServiceClock(w);
  for (const spec of ACCOUNTS) {
    const accountId = `acct_${spec.name.replace('-', '_')}_${crypto.randomBytes(4).toString('hex')}`;
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: START });
    const customer = await h.stripe.customers.create({
      test_clock: clock.id,
      email: `${accountId}@example.com`,
      metadata: { tierlift_account_id: accountId },
    });
    await h.db.dataSource.query(
      `INSERT INTO accounts (id, name, email, country, locale, signed_up_at, stripe_customer_id)
       VALUES ($1, $2, $3, $4, 'en', now(), $5)`,
      [accountId, spec.name, `${accountId}@example.com`, spec.country, customer.id],
    );
    await advanceClock(h, clock.id, now);
    w.accounts.push({
      name: spec.name,
      currency: spec.currency,
      accountId,
      customerId: customer.id,
      clockId: clock.id,
      auth: bearer(userToken(accountId, 'owner')),
    });
  }
  for (const [index, spec] of ACCOUNTS.entries()) {
    if (!spec.paid) continue;
    const account = w.accounts[index] as ModelAccount;
    const quoted = await quote(h, account.auth, { plan: 'pro', trial: spec.trial });
    const changed = await change(h, account.auth, quoted.body.id);
    if (changed.body.status !== 'checkout_required') throw new Error(`setup: ${JSON.stringify(changed.body)}`);
    await payCheckoutPage(changed.body.checkout_url, 'pm_card_visa');
    await useCard(h, account.customerId, 'pm_card_visa');
  }
  await webhooksSettled(w);
  await h.billing.finishInterruptedOperations();
  await webhooksSettled(w);
  return w;
}
export const payCheckoutPage = (url: string, card: string) =>
  fetch(`${url}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `card=${card}`,
    redirect: 'manual',
  });

export async function arm(w: World, fault: Fault): Promise<void> {
  const count = fault.kind === 'drop_connection' ? 2 : 1;
  await w.h.emulator.control.injectFault({
    method: 'POST',
    path: fault.path,
    kind: fault.kind,
    count,
    skip: fault.skip,
    after: fault.after,
  });
}

/** Every test clock and the service clock move forward together (renewals, expiries). */
export async function advanceWorld(w: World, days: number): Promise<string> {
  w.now += days * DAY;
  for (const account of w.accounts) await advanceClock(w.h, account.clockId, w.now);
  setServiceClock(w);
  return `now ${new Date(w.now * 1000).toISOString()}`;
}
