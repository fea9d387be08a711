import request from 'supertest';
import { adminAuth } from '../support/tokens';
import {
  MIDDLE,
  advanceClock,
  change,
  freeAccount,
  mirroredPlan,
  paidAccount,
  quote,
  startBillingHarness,
  useCard,
  type BillingHarness,
  type PaidAccount,
  payCheckout as pay,
} from './support/billing-harness';

/**
 * Changes waiting on the customer (3-D Secure, a new card, Checkout) are finished by Stripe's
 * webhooks alone: no GET /v1/changes/{id} and no janitor run unless a test says so.
 */
let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness({ webhooks: true });
});
afterAll(async () => h?.close());
afterEach(async () => {
  await h.emulator.control.setDeliveryMode({ paused: false, duplicates: 0, shuffle: false });
});

const query = <T>(sql: string, params: unknown[] = []): Promise<T[]> => h.db.dataSource.query(sql, params);

/** Until the emulator has delivered everything and the worker has finished every stored event. */
async function webhooksSettled(timeoutMs = 45_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    await h.emulator.control.waitForDeliveries();
    const [open] = await query<{ n: string }>(
      "SELECT count(*) AS n FROM webhook_events WHERE status IN ('received', 'processing', 'failed')",
    );
    if (Number(open?.n) === 0 && (await h.emulator.control.pendingDeliveries()).length === 0) return;
    if (Date.now() > until) throw new Error('webhooks did not settle');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function operationRow(id: string) {
  const [row] = await query<{ state: string; result: Record<string, unknown> }>(
    'SELECT state, result FROM billing_operations WHERE id = $1',
    [id],
  );
  return row;
}

const purchasesOf = (operationId: string) =>
  query<{ kind: string; amount: string; stripe_invoice_id: string | null; stripe_charge_id: string | null }>(
    'SELECT * FROM purchases WHERE operation_id = $1',
    [operationId],
  );

/** The events that finished the operation (webhook_effects rows naming it). */
const settledBy = (operationId: string) =>
  query<{ event_id: string }>(
    "SELECT event_id FROM webhook_effects WHERE effect = 'billing_operation_settled' AND target_id = $1",
    [operationId],
  );

/**
 * Counts every write that marks an operation completed (a trigger on the journal), so that a second
 * completion of the same change shows even when it records nothing else.
 */
async function countCompletions(): Promise<(operationId: string) => Promise<number>> {
  const schema = `"${h.db.schema}"`;
  await query(`CREATE TABLE IF NOT EXISTS ${schema}.test_completions (operation_id text NOT NULL)`);
  await query(
    `CREATE OR REPLACE FUNCTION ${schema}.test_count_completion() RETURNS trigger AS $$
     BEGIN INSERT INTO ${schema}.test_completions VALUES (NEW.id); RETURN NEW; END $$ LANGUAGE plpgsql`,
  );
  await query(`DROP TRIGGER IF EXISTS test_count_completion ON ${schema}.billing_operations`);
  await query(
    `CREATE TRIGGER test_count_completion AFTER UPDATE ON ${schema}.billing_operations
     FOR EACH ROW WHEN (NEW.state = 'completed') EXECUTE FUNCTION ${schema}.test_count_completion()`,
  );
  return async (operationId) => {
    const [row] = await query<{ n: string }>(
      `SELECT count(*) AS n FROM ${schema}.test_completions WHERE operation_id = $1`,
      [operationId],
    );
    return Number(row?.n);
  };
}

/** A paid account upgrading to premium with a card that needs 3-D Secure: the change waits on the customer. */
async function upgradeNeedingAuthentication(): Promise<{
  account: PaidAccount;
  operationId: string;
  paymentIntentId: string;
  amountDue: number;
}> {
  const account = await paidAccount(h);
  await useCard(h, account.customerId, 'pm_card_authenticationRequired');
  const quoted = await quote(h, account.auth(), { plan: 'premium' });
  const changed = await change(h, account.auth(), quoted.body.id);
  expect(changed.body.status).toBe('requires_action');
  await webhooksSettled();
  expect((await operationRow(changed.body.operation_id))?.state).toBe('awaiting_customer');
  return {
    account,
    operationId: changed.body.operation_id,
    paymentIntentId: String(changed.body.client_secret).split('_secret_')[0] ?? '',
    amountDue: quoted.body.amount_due_now,
  };
}

async function expectCompletedOnce(operationId: string, amount: number, kind = 'plan_change'): Promise<void> {
  expect(await operationRow(operationId)).toMatchObject({
    state: 'completed',
    result: { status: 'applied', amount_charged: amount },
  });
  const bought = await purchasesOf(operationId);
  expect(bought).toHaveLength(1);
  expect(bought[0]).toMatchObject({ kind, amount: String(amount) });
  expect(bought[0]?.stripe_charge_id).toMatch(/^ch_/);
  expect(await settledBy(operationId)).toHaveLength(1);
}

const training = { add_ons: [{ code: 'training_agency', quantity: 1 }] };

describe('a change waiting on the customer is finished by Stripe’s webhooks', () => {
  it('completes a 3-D Secure upgrade once authentication succeeds, with no GET and no janitor', async () => {
    const { account, operationId, paymentIntentId, amountDue } = await upgradeNeedingAuthentication();

    await h.emulator.control.completeAuthentication(paymentIntentId);
    await webhooksSettled();

    await expectCompletedOnce(operationId, amountDue);
    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'premium', interval: 'month' });
  });

  it('completes a free → paid Checkout once the customer pays on the hosted page, with no GET', async () => {
    const account = await freeAccount(h);
    const quoted = await quote(h, account.auth, { plan: 'pro', trial: false });
    const changed = await change(h, account.auth, quoted.body.id);
    expect(changed.body.status).toBe('checkout_required');

    expect((await pay(changed.body.checkout_url, 'pm_card_visa')).status).toBe(303);
    await webhooksSettled();

    await expectCompletedOnce(changed.body.operation_id, quoted.body.amount_due_now, 'subscription_start');
    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'pro', interval: 'month' });
  });

  it('completes a one-time add-on once 3-D Secure succeeds on its invoice, with no GET', async () => {
    const account = await paidAccount(h);
    await useCard(h, account.customerId, 'pm_card_authenticationRequired');
    const quoted = await quote(h, account.auth(), training);
    const changed = await change(h, account.auth(), quoted.body.id);
    expect(changed.body.status).toBe('requires_action');
    await webhooksSettled();
    expect((await operationRow(changed.body.operation_id))?.state).toBe('awaiting_customer');

    const paymentIntentId = String(changed.body.client_secret).split('_secret_')[0] ?? '';
    await h.emulator.control.completeAuthentication(paymentIntentId);
    await webhooksSettled();

    await expectCompletedOnce(changed.body.operation_id, quoted.body.amount_due_now, 'one_time');
  });

  it('completes a one-time add-on paid in Checkout (mode payment), with no GET', async () => {
    const account = await freeAccount(h);
    const quoted = await quote(h, account.auth, training);
    const changed = await change(h, account.auth, quoted.body.id);
    expect(changed.body.status).toBe('checkout_required');

    expect((await pay(changed.body.checkout_url, 'pm_card_visa')).status).toBe(303);
    await webhooksSettled();

    await expectCompletedOnce(changed.body.operation_id, quoted.body.amount_due_now, 'one_time');
  });

  it('records one purchase when a GET, the janitor and the webhooks race to finish the same change', async () => {
    const { account, operationId, paymentIntentId, amountDue } = await upgradeNeedingAuthentication();
    const completions = await countCompletions();
    await h.emulator.control.setDeliveryMode({ paused: true });
    await h.emulator.control.completeAuthentication(paymentIntentId);

    const show = () => request(h.app).get(`/v1/changes/${operationId}`).set('Authorization', account.auth());
    const [, firstShown, , secondShown] = await Promise.all([
      h.emulator.control
        .setDeliveryMode({ paused: false, duplicates: 1 })
        .then(() => h.emulator.control.flushDeliveries()),
      show(),
      h.billing.finishInterruptedOperations(),
      show(),
      h.billing.finishInterruptedOperations(),
    ]);
    await webhooksSettled();

    expect([firstShown.status, secondShown.status]).toEqual([200, 200]);
    expect(await purchasesOf(operationId)).toHaveLength(1);
    expect((await operationRow(operationId))?.state).toBe('completed');
    const lastShown = await show();
    expect(lastShown.status).toBe(200);
    expect(lastShown.body).toMatchObject({ status: 'applied', amount_charged: amountDue });
    // Exactly one of the GETs, the janitor runs and the webhooks completed it; a webhook records
    // its settle only when it was that one.
    expect(await completions(operationId)).toBe(1);
    expect((await settledBy(operationId)).length).toBeLessThanOrEqual(1);
  });

  it('records one purchase when the emulator delivers every event twice, shuffled, and an operator replays them', async () => {
    const { operationId, paymentIntentId, amountDue } = await upgradeNeedingAuthentication();
    await h.emulator.control.setDeliveryMode({ paused: true });
    await h.emulator.control.completeAuthentication(paymentIntentId);
    expect((await h.emulator.control.pendingDeliveries()).length).toBeGreaterThan(1);

    await h.emulator.control.setDeliveryMode({ paused: false, duplicates: 1, shuffle: true });
    await h.emulator.control.flushDeliveries();
    await webhooksSettled();
    await expectCompletedOnce(operationId, amountDue);

    const [settling] = await settledBy(operationId);
    const replayed = await request(h.app)
      .post(`/admin/v1/webhook-events/${settling?.event_id}/replay`)
      .set('Authorization', adminAuth);
    expect(replayed.status).toBe(200);
    expect(['processed', 'ignored']).toContain(replayed.body.status);
    await expectCompletedOnce(operationId, amountDue);
  });

  it('leaves a declined change waiting, then completes it when the customer pays with a new card', async () => {
    const account = await paidAccount(h);
    await useCard(h, account.customerId, 'pm_card_chargeDeclined');
    const quoted = await quote(h, account.auth(), { plan: 'premium' });
    const changed = await change(h, account.auth(), quoted.body.id);
    expect(changed.body.status).toBe('requires_payment_method');
    await webhooksSettled();
    const failures = await query<{ status: string }>(
      "SELECT status FROM webhook_events WHERE type IN ('invoice.payment_failed', 'payment_intent.payment_failed')",
    );
    expect(failures.length).toBeGreaterThan(0);
    expect(await operationRow(changed.body.operation_id)).toMatchObject({
      state: 'awaiting_customer',
      result: { status: 'requires_payment_method' },
    });
    expect(await purchasesOf(changed.body.operation_id)).toHaveLength(0);

    // What Stripe.js does with the client secret and the new card the customer typed in.
    const paymentIntentId = String(changed.body.client_secret).split('_secret_')[0] ?? '';
    await h.stripe.paymentIntents.confirm(paymentIntentId, { payment_method: 'pm_card_visa' });
    await webhooksSettled();

    await expectCompletedOnce(changed.body.operation_id, quoted.body.amount_due_now);
    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'premium', interval: 'month' });
  });

  it('fails the change as expired when its pending update lapses, without the janitor', async () => {
    const { account, operationId } = await upgradeNeedingAuthentication();

    await advanceClock(h, account.clockId, MIDDLE + 24 * 3600);
    await webhooksSettled();

    expect(await operationRow(operationId)).toMatchObject({ state: 'failed', result: { status: 'expired' } });
    expect(await purchasesOf(operationId)).toHaveLength(0);
    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'pro', interval: 'month' });
  });

  it('fails a Checkout change as expired when its session expires', async () => {
    const account = await freeAccount(h);
    const quoted = await quote(h, account.auth, { plan: 'pro', trial: false });
    const changed = await change(h, account.auth, quoted.body.id);
    const [journalled] = await query<{ stripe_object_id: string }>(
      'SELECT stripe_object_id FROM billing_operations WHERE id = $1',
      [changed.body.operation_id],
    );

    await h.stripe.checkout.sessions.expire(journalled?.stripe_object_id ?? '');
    await webhooksSettled();

    expect(await operationRow(changed.body.operation_id)).toMatchObject({
      state: 'failed',
      result: { status: 'expired' },
    });
    expect(await purchasesOf(changed.body.operation_id)).toHaveLength(0);
    expect(await settledBy(changed.body.operation_id)).toHaveLength(1);
    const [expired] = await query<{ status: string }>(
      "SELECT status FROM webhook_events WHERE type = 'checkout.session.expired' ORDER BY received_at DESC LIMIT 1",
    );
    expect(expired?.status).toBe('processed');
  });

  it('ignores an invoice and a payment no operation waits on, and leaves a waiting change alone', async () => {
    const waiting = await upgradeNeedingAuthentication();
    const stranger = await h.stripe.customers.create({ email: 'stranger@example.test' });
    await useCard(h, stranger.id, 'pm_card_visa');
    const [price] = (await h.stripe.prices.list({ lookup_keys: ['tierlift_plan_pro_month'] })).data;
    const subscription = await h.stripe.subscriptions.create({
      customer: stranger.id,
      items: [{ price: price?.id ?? '' }],
    });
    await webhooksSettled();

    const invoiceId = String(subscription.latest_invoice);
    const [paid] = await query<{ status: string; outcome: string }>(
      "SELECT status, outcome FROM webhook_events WHERE type = 'invoice.paid' AND object_id = $1",
      [invoiceId],
    );
    expect(paid).toMatchObject({ status: 'ignored' });
    const payments = await query<{ status: string; outcome: string }>(
      "SELECT status, outcome FROM webhook_events WHERE type = 'payment_intent.succeeded' AND outcome LIKE 'no billing operation waits on%'",
    );
    expect(payments.length).toBeGreaterThan(0);
    expect(await query("SELECT id FROM webhook_events WHERE status IN ('failed', 'dead')")).toEqual([]);
    expect((await operationRow(waiting.operationId))?.state).toBe('awaiting_customer');
    expect(await purchasesOf(waiting.operationId)).toHaveLength(0);
  });
});
