import crypto from 'node:crypto';
import request from 'supertest';
import type { Stripe } from '../../src/stripe/stripe-client';
import { adminAuth } from '../support/tokens';
import {
  DAY,
  START,
  advanceClock,
  change,
  paidAccount,
  payCheckout,
  quote,
  startBillingHarness,
  stripeWrites,
  type BillingHarness,
} from './support/billing-harness';

/**
 * The billing page's card update (#22): POST /v1/payment-method/sessions opens Checkout in setup
 * mode; on `checkout.session.completed` the SetupIntent's card becomes the customer's
 * invoice_settings.default_payment_method and the subscription's default_payment_method.
 * Stripe: docs.stripe.com/payments/save-and-reuse?platform=checkout ("Checkout Sessions in setup
 * mode don't set a default payment method") and docs.stripe.com/api/subscriptions/object
 * (default_payment_method "takes precedence over the customer's invoice_settings").
 */
let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness({ webhooks: true });
});
afterAll(async () => h?.close());

const query = <T>(sql: string, params: unknown[] = []): Promise<T[]> => h.db.dataSource.query(sql, params);

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

const openSession = (auth: string, body: object = { return_url: 'http://localhost:4000/billing' }) =>
  request(h.app).post('/v1/payment-method/sessions').set('Authorization', auth).send(body);

async function defaults(customerId: string, subscriptionId: string) {
  const customer = (await h.stripe.customers.retrieve(customerId)) as Stripe.Customer;
  const subscription = await h.stripe.subscriptions.retrieve(subscriptionId);
  return {
    customer: String(customer.invoice_settings.default_payment_method ?? ''),
    subscription: String(subscription.default_payment_method ?? ''),
  };
}

describe('POST /v1/payment-method/sessions', () => {
  it('replaces the card of the customer and of the subscription, and the renewal charges the new card', async () => {
    const account = await paidAccount(h);
    await h.stripe.subscriptions.update(account.subscription.id, {
      default_payment_method: (await defaults(account.customerId, account.subscription.id)).customer,
    });
    const old = await defaults(account.customerId, account.subscription.id);
    const opened = await openSession(account.auth());
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ object: 'payment_method_session', id: expect.stringMatching(/^cs_/) });
    const session = await h.stripe.checkout.sessions.retrieve(opened.body.id);
    expect(session).toMatchObject({ mode: 'setup', customer: account.customerId, status: 'open' });
    expect(session.success_url).toBe('http://localhost:4000/billing?tierlift_setup=done');
    const creates = await stripeWrites(h, (path) => path === '/v1/checkout/sessions');
    expect(creates.at(-1)?.idempotencyKey).toBe(`op-${opened.body.operation_id}-setup-session`);
    // asked again while open: the same session, no second lane holder
    expect((await openSession(account.auth())).body.id).toBe(opened.body.id);

    const paid = await payCheckout(opened.body.url, 'pm_card_mastercard');
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe('http://localhost:4000/billing?tierlift_setup=done');
    await webhooksSettled();

    const now = await defaults(account.customerId, account.subscription.id);
    const card = await h.stripe.paymentMethods.retrieve(now.customer);
    expect(card.card?.brand).toBe('mastercard');
    expect(now.customer).not.toBe(old.customer);
    expect(now.subscription).toBe(now.customer);
    const shown = await request(h.app).get('/v1/account').set('Authorization', account.auth());
    expect(shown.body.payment_method).toMatchObject({ id: now.customer, brand: 'mastercard', last4: card.card?.last4 });
    const keys = (await stripeWrites(h)).map((entry) => entry.idempotencyKey);
    // derived keys (step-key.ts: the completion runs after the session's step, so under `-run<n>`)
    const derived = (step: string) => keys.filter((key) => key?.startsWith(`op-${opened.body.operation_id}-${step}`));
    expect(derived('customer-default')).toHaveLength(1);
    expect(derived('subscription-default')).toHaveLength(1);
    const [operation] = await query<{ state: string }>('SELECT state FROM billing_operations WHERE id = $1', [
      opened.body.operation_id,
    ]);
    expect(operation?.state).toBe('completed');

    // a replayed checkout.session.completed changes nothing
    const writesBefore = (await stripeWrites(h)).length;
    const [event] = await query<{ id: string }>(
      "SELECT id FROM webhook_events WHERE type = 'checkout.session.completed' AND object_id = $1",
      [opened.body.id],
    );
    expect(event).toBeDefined();
    const replayed = await request(h.app)
      .post(`/admin/v1/webhook-events/${event?.id}/replay`)
      .set('Authorization', adminAuth);
    expect(replayed.status).toBe(200);
    expect((await stripeWrites(h)).length).toBe(writesBefore);
    expect(await defaults(account.customerId, account.subscription.id)).toEqual(now);

    // the renewal on the test clock charges the new card
    await advanceClock(h, account.clockId, START + 32 * DAY);
    const charges = await h.stripe.charges.list({ customer: account.customerId, limit: 100 });
    const renewal = charges.data.find((charge) => charge.created >= START + 29 * DAY);
    expect(renewal?.payment_method).toBe(now.customer);
    expect(renewal?.status).toBe('succeeded');
  });

  it('holds the billing lane while the customer is on the page; a change with supersede expires the session', async () => {
    const account = await paidAccount(h);
    const opened = await openSession(account.auth());
    expect(opened.status).toBe(201);
    const quoted = await quote(h, account.auth(), { plan: 'premium' });
    const blocked = await change(h, account.auth(), quoted.body.id);
    expect(blocked.status).toBe(409);
    const superseding = await request(h.app)
      .post('/v1/changes')
      .set('Authorization', account.auth())
      .set('Idempotency-Key', crypto.randomUUID())
      .send({ quote_id: quoted.body.id, supersede: true });
    expect(superseding.status).toBe(200);
    expect((await h.stripe.checkout.sessions.retrieve(opened.body.id)).status).toBe('expired');
    const [operation] = await query<{ state: string; result: { status: string } }>(
      'SELECT state, result FROM billing_operations WHERE id = $1',
      [opened.body.operation_id],
    );
    expect(operation).toMatchObject({ state: 'failed', result: { status: 'superseded' } });
  });

  it('refuses members, unknown fields and return URLs on other origins, and writes nothing', async () => {
    const account = await paidAccount(h);
    const before = (await stripeWrites(h)).length;
    const member = await openSession(account.auth('member'));
    expect(member.status).toBe(403);
    expect(member.body.error.code).toBe('billing_permission_required');
    const unknown = await openSession(account.auth(), { return_url: 'http://localhost:4000/b', amount: 1 });
    expect(unknown.status).toBeGreaterThanOrEqual(400);
    expect(unknown.status).toBeLessThan(500);
    const notUrl = await openSession(account.auth(), { return_url: 'javascript:alert(1)' });
    expect(notUrl.status).toBeGreaterThanOrEqual(400);
    expect(notUrl.status).toBeLessThan(500);
    const foreign = await openSession(account.auth(), { return_url: 'https://evil.example.com/billing' });
    expect(foreign.status).toBe(422);
    expect(foreign.body.error).toMatchObject({ code: 'return_url_not_allowed', param: 'return_url' });
    expect((await stripeWrites(h)).length).toBe(before);
    expect(await query('SELECT id FROM billing_operations WHERE account_id = $1', [account.accountId])).toEqual([]);
  });
});
