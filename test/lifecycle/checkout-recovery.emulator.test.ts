import request from 'supertest';
import { adminAuth } from '../support/tokens';
import {
  START,
  change,
  freeAccount,
  payCheckout,
  quote,
  startBillingHarness,
  type BillingHarness,
} from '../billing/support/billing-harness';
import { movableClock, outboundEvents } from './support/lifecycle-world';

/**
 * Abandoned Checkout recovery (issue #20): a Checkout open past CHECKOUT_RECOVERY_MINUTES (60 in
 * tests) or expired raises one recovery prompt (today's price) and one `checkout.abandoned`;
 * a purchase after it is attributed to it in the funnel. Stripe: a Checkout Session is `open`,
 * `complete` or `expired` (docs.stripe.com/api/checkout/sessions/expire).
 */
const MINUTE = 60;
const clock = movableClock(START);
let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness({ clock });
});
afterAll(async () => h?.close());

async function openCheckout(account: { auth: string }) {
  const quoted = await quote(h, account.auth, { plan: 'pro', trial: false });
  const changed = await change(h, account.auth, quoted.body.id);
  expect(changed.body.status).toBe('checkout_required');
  return changed.body as { operation_id: string; checkout_url: string };
}

/** The operation was opened `minutes` before the service's clock (its created_at seeded from the clock). */
const openedBefore = (operationId: string, minutes: number) =>
  h.db.dataSource.query('UPDATE billing_operations SET created_at = $2 WHERE id = $1', [
    operationId,
    new Date((START - minutes * MINUTE) * 1000),
  ]);

const promptsOf = (auth: string) => request(h.app).get('/v1/lifecycle/prompts').set('Authorization', auth);

describe('abandoned Checkout recovery', () => {
  it('raises exactly one recovery and one event per abandoned session; paying after it is attributed', async () => {
    clock.set(START);
    const left = await freeAccount(h);
    const leftOpen = await openCheckout(left);
    await openedBefore(leftOpen.operation_id, 30);
    expect(await h.services.lifecycle.raiseCheckoutRecoveries()).toBe(0);
    expect((await promptsOf(left.auth)).body.data).toEqual([]);

    await openedBefore(leftOpen.operation_id, 61);
    expect(await h.services.lifecycle.raiseCheckoutRecoveries()).toBe(1);
    expect(await h.services.lifecycle.raiseCheckoutRecoveries()).toBe(0);
    const shown = await promptsOf(left.auth);
    expect(shown.status).toBe(200);
    expect(shown.body.data).toEqual([
      expect.objectContaining({
        kind: 'checkout_recovery',
        plan: 'pro',
        interval: 'month',
        price: { amount: 1900, currency: 'usd', formatted: '$19.00' },
      }),
    ]);
    const abandoned = (await outboundEvents(h, left.accountId)).filter((e) => e.type === 'checkout.abandoned');
    expect(abandoned).toHaveLength(1);
    expect(abandoned[0]?.data).toMatchObject({ plan: 'pro', interval: 'month', cause: 'open_too_long' });

    // an expired session is abandoned too; its account comes back through the prompt and pays
    const expired = await freeAccount(h, 'DE');
    const expiredOpen = await openCheckout(expired);
    const [row] = await h.db.dataSource.query('SELECT stripe_object_id FROM billing_operations WHERE id = $1', [
      expiredOpen.operation_id,
    ]);
    await h.stripe.checkout.sessions.expire(row.stripe_object_id);
    await h.billing.finishInterruptedOperations();
    expect(await h.services.lifecycle.raiseCheckoutRecoveries()).toBe(1);
    const reprice = await promptsOf(expired.auth);
    expect(reprice.body.data[0]).toMatchObject({ plan: 'pro', price: { amount: 1900, currency: 'eur' } });
    clock.set(START + 2 * 3600);
    const again = await openCheckout(expired);
    expect((await payCheckout(again.checkout_url, 'pm_card_visa')).status).toBe(303);
    await h.billing.finishInterruptedOperations();
    expect((await promptsOf(expired.auth)).body.data).toEqual([]);
    const recoveries = await h.db.dataSource.query(
      'SELECT account_id, cause, converted_operation_id FROM checkout_recoveries ORDER BY raised_at, account_id',
    );
    expect(recoveries).toEqual(
      expect.arrayContaining([
        { account_id: left.accountId, cause: 'open_too_long', converted_operation_id: null },
        { account_id: expired.accountId, cause: 'expired', converted_operation_id: again.operation_id },
      ]),
    );

    const from = new Date((START - 86_400) * 1000).toISOString();
    const to = new Date((START + 86_400) * 1000).toISOString();
    const funnel = await request(h.app)
      .get(`/admin/v1/analytics/funnel?from=${from}&to=${to}`)
      .set('Authorization', adminAuth);
    expect(funnel.body.recoveries).toEqual({ raised: 2, converted: 1 });
  });
});
