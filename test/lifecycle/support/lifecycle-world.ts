import crypto from 'node:crypto';
import type { BillingHarness } from '../../billing/support/billing-harness';
import { bearer, userToken } from '../../support/tokens';

/** A clock the test moves (the service reads it; the customer's Stripe test clock is moved beside it). */
export function movableClock(start: number): { now(): Date; set(seconds: number): void } {
  let current = start * 1000;
  return { now: () => new Date(current), set: (seconds) => (current = seconds * 1000) };
}

/**
 * A Free account whose Stripe customer already exists on a test clock at `start` (no card, no
 * subscription), so Checkout, the trial and its end all run on that clock. It never had a trial.
 */
export async function freeAccountOnClock(
  h: BillingHarness,
  start: number,
  country = 'US',
): Promise<{ accountId: string; customerId: string; clockId: string; auth: string }> {
  const accountId = `acct_${crypto.randomBytes(6).toString('hex')}`;
  const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: start });
  const customer = await h.stripe.customers.create({
    test_clock: clock.id,
    email: `${accountId}@example.com`,
    metadata: { tierlift_account_id: accountId },
  });
  await h.db.dataSource.query(
    `INSERT INTO accounts (id, name, email, country, locale, signed_up_at, stripe_customer_id)
     VALUES ($1, 'Trial Co', $2, $3, 'en', to_timestamp($4), $5)`,
    [accountId, `${accountId}@example.com`, country, start, customer.id],
  );
  return { accountId, customerId: customer.id, clockId: clock.id, auth: bearer(userToken(accountId, 'owner')) };
}

/** Until the emulator delivered everything and the worker finished every stored event. */
export async function webhooksSettled(h: BillingHarness, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    await h.emulator.control.waitForDeliveries();
    const [open] = await h.db.dataSource.query(
      "SELECT count(*) AS n FROM webhook_events WHERE status IN ('received', 'processing', 'failed')",
    );
    if (Number(open?.n) === 0 && (await h.emulator.control.pendingDeliveries()).length === 0) return;
    if (Date.now() > until) {
      const failed = await h.db.dataSource.query(
        "SELECT type, status, last_error FROM webhook_events WHERE status IN ('received', 'processing', 'failed')",
      );
      throw new Error(`webhooks did not settle: ${JSON.stringify(failed)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function outboundEvents(
  h: BillingHarness,
  accountId: string,
): Promise<Array<{ type: string; data: Record<string, unknown>; occurred_at: Date }>> {
  return h.db.dataSource.query(
    'SELECT type, data, occurred_at FROM outbound_events WHERE account_id = $1 ORDER BY seq',
    [accountId],
  );
}
