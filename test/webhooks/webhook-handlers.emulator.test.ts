import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Stripe } from '../../src/stripe/stripe-client';
import { chargeMirror } from '../../src/webhooks/charge-mirror';
import { invoiceMirror } from '../../src/webhooks/invoice-mirror';
import { priceCodeResolver } from '../../src/webhooks/price-codes';
import { stripeObjectsFrom } from '../../src/webhooks/stripe-objects';
import { mirrorDifferences, subscriptionMirror } from '../../src/webhooks/subscription-mirror';
import { subscriptionMirrors } from '../../src/webhooks/subscription-mirror.repository';
import type { TestDatabase } from '../support/test-database';
import { payingCustomer, planPrices, startEmulatedStripe, type EmulatedStripe } from './support/emulator-stripe';
import { chargeState, invoiceState, localCharges, localInvoices } from './support/mirror-projection';
import {
  countRows,
  createWebhookDatabase,
  dropQueueSchema,
  eventually,
  insertAccount,
  startInstance,
  type WebhookInstance,
} from './support/webhook-harness';
import { createExpressServer } from '../../src/shared/http/express-server';

describe('event handlers, fed live by the Stripe emulator', () => {
  let stripe: EmulatedStripe;
  let db: TestDatabase;
  let sut: WebhookInstance;
  let server: http.Server;
  let prices: { pro: string; premium: string };
  const resolve = priceCodeResolver();

  /** Waits until the emulator has delivered everything and the worker has finished with it. */
  const settle = async () => {
    await stripe.emulator.control.waitForDeliveries();
    await eventually(
      async () =>
        (await countRows(
          db.dataSource,
          "SELECT count(*) AS n FROM webhook_events WHERE status IN ('received', 'processing', 'failed')",
        )) === 0,
      30000,
      'the inbox to drain',
    );
  };
  const subscriptionInSync = async (id: string, accountId: string) => {
    const wanted = subscriptionMirror(await stripe.sdk.subscriptions.retrieve(id), accountId, resolve);
    return mirrorDifferences(await subscriptionMirrors.find(db.dataSource.manager, id), wanted);
  };
  const statusesOf = async (type: string) =>
    (
      (await db.dataSource.query('SELECT status FROM webhook_events WHERE type = $1', [type])) as Array<{
        status: string;
      }>
    ).map((row) => row.status);
  const effectsOf = (type: string) =>
    countRows(
      db.dataSource,
      'SELECT count(*) AS n FROM webhook_effects f JOIN webhook_events e ON e.id = f.event_id WHERE e.type = $1',
      [type],
    );

  beforeAll(async () => {
    stripe = await startEmulatedStripe();
    db = await createWebhookDatabase();
    const listener = createExpressServer((_req, res) => res.writeHead(503).end());
    server = listener.server;
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/stripe`;
    const endpoint = await stripe.sdk.webhookEndpoints.create({ url, enabled_events: ['*'] });
    sut = await startInstance(db, stripeObjectsFrom(stripe.sdk), {}, endpoint.secret ?? '');
    listener.serve(sut.app);
    await sut.webhooks.startWorker();
    prices = await planPrices(stripe.sdk);
  });

  afterAll(async () => {
    await sut.close();
    await new Promise((done) => server.close(done));
    await stripe.emulator.close();
    await dropQueueSchema(db);
    await db.drop();
  });

  it('checkout.session.completed links the new customer to its account and mirrors the subscription', async () => {
    await insertAccount(db.dataSource, 'acct_checkout', null);
    const session = await stripe.sdk.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: prices.pro, quantity: 1 }],
      customer_email: 'checkout@example.test',
      client_reference_id: 'acct_checkout',
      success_url: 'https://app.example.test/done',
      cancel_url: 'https://app.example.test/cancelled',
    });
    const paid = await fetch(`${session.url}/pay`, {
      method: 'POST',
      body: 'card=pm_card_visa',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      redirect: 'manual',
    });
    expect(paid.status).toBe(303);
    await settle();
    const completed = await stripe.sdk.checkout.sessions.retrieve(session.id);
    const account: Array<{ stripe_customer_id: string }> = await db.dataSource.query(
      "SELECT stripe_customer_id FROM accounts WHERE id = 'acct_checkout'",
    );
    expect(account[0]?.stripe_customer_id).toBe(completed.customer);
    expect(await subscriptionInSync(String(completed.subscription), 'acct_checkout')).toEqual([]);
    expect(await statusesOf('checkout.session.completed')).toEqual(['processed']);
    expect(await effectsOf('checkout.session.completed')).toBe(1);
    // Types Tierlift has no handler for are stored and ignored.
    expect(new Set(await statusesOf('payment_intent.succeeded'))).toEqual(new Set(['ignored']));
  });

  it('invoice.payment_failed and invoice.payment_action_required mirror the open invoices', async () => {
    const declined = await payingCustomer(stripe.sdk, 'acct_declined', 'pm_card_chargeDeclined');
    const challenged = await payingCustomer(stripe.sdk, 'acct_3ds', 'pm_card_authenticationRequired');
    await insertAccount(db.dataSource, 'acct_declined', declined);
    await insertAccount(db.dataSource, 'acct_3ds', challenged);
    const failing = await stripe.sdk.subscriptions.create({ customer: declined, items: [{ price: prices.pro }] });
    const needsAction = await stripe.sdk.subscriptions.create({ customer: challenged, items: [{ price: prices.pro }] });
    await settle();
    expect(await statusesOf('invoice.payment_failed')).toEqual(['processed']);
    expect(await statusesOf('invoice.payment_action_required')).toEqual(['processed']);
    for (const [subscription, accountId] of [
      [failing, 'acct_declined'],
      [needsAction, 'acct_3ds'],
    ] as const) {
      const invoice = await stripe.sdk.invoices.retrieve(String(subscription.latest_invoice));
      const local = (await localInvoices(db.dataSource)).find((row) => row.id === invoice.id);
      expect(local).toEqual(invoiceState(invoiceMirror(invoice, accountId)));
      expect(local?.status).toBe('open');
      expect(await subscriptionInSync(subscription.id, accountId)).toEqual([]);
    }
  });

  it('a pay-first upgrade stays pending until authenticated, then pending_update_applied mirrors the new plan', async () => {
    const customer = await payingCustomer(stripe.sdk, 'acct_pending');
    await insertAccount(db.dataSource, 'acct_pending', customer);
    const subscription = await stripe.sdk.subscriptions.create({ customer, items: [{ price: prices.pro }] });
    const challenge = await stripe.sdk.paymentMethods.attach('pm_card_authenticationRequired', { customer });
    await stripe.sdk.customers.update(customer, { invoice_settings: { default_payment_method: challenge.id } });
    await stripe.sdk.subscriptions.update(subscription.id, {
      items: [{ id: subscription.items.data[0]?.id ?? '', price: prices.premium }],
      proration_behavior: 'always_invoice',
      payment_behavior: 'pending_if_incomplete',
    });
    await settle();
    const pending = await subscriptionMirrors.find(db.dataSource.manager, subscription.id);
    expect(pending).toMatchObject({ planCode: 'pro' });
    expect(pending?.pendingUpdate).toMatchObject({ items: [expect.objectContaining({ code: 'premium' })] });

    const upgrade = await stripe.sdk.invoices.retrieve(
      String((await stripe.sdk.subscriptions.retrieve(subscription.id)).latest_invoice),
      { expand: ['payments'] },
    );
    const paymentIntent = paymentIntentOf(upgrade);
    await stripe.emulator.control.completeAuthentication(paymentIntent);
    await settle();
    expect(await statusesOf('customer.subscription.pending_update_applied')).toEqual(['processed']);
    expect(await subscriptionMirrors.find(db.dataSource.manager, subscription.id)).toMatchObject({
      planCode: 'premium',
      pendingUpdate: null,
    });
    expect(await subscriptionInSync(subscription.id, 'acct_pending')).toEqual([]);
  });

  it('charge.refunded and charge.dispute.created mirror the charge; deleting the subscription mirrors the cancellation', async () => {
    const customer = await payingCustomer(stripe.sdk, 'acct_money');
    await insertAccount(db.dataSource, 'acct_money', customer);
    const subscription = await stripe.sdk.subscriptions.create({ customer, items: [{ price: prices.premium }] });
    await settle();
    const [charge] = (await stripe.sdk.charges.list({ customer })).data;
    const chargeId = charge?.id ?? '';
    await stripe.sdk.refunds.create({ charge: chargeId, amount: 900 });
    await stripe.emulator.control.createDispute(chargeId);
    await stripe.sdk.subscriptions.cancel(subscription.id);
    await settle();
    const local = (await localCharges(db.dataSource)).find((row) => row.id === chargeId);
    expect(local).toEqual(chargeState(chargeMirror(await stripe.sdk.charges.retrieve(chargeId), 'acct_money')));
    expect(local).toMatchObject({ amount_refunded: 900, disputed: true });
    expect(await subscriptionMirrors.find(db.dataSource.manager, subscription.id)).toMatchObject({
      status: 'canceled',
    });
    expect(await subscriptionInSync(subscription.id, 'acct_money')).toEqual([]);
    expect(await effectsOf('charge.dispute.created')).toBe(1);
  });

  it('customer.subscription.trial_will_end is recorded once, three days before the trial ends', async () => {
    const start = Math.floor(Date.now() / 1000);
    const clock = await stripe.sdk.testHelpers.testClocks.create({ frozen_time: start });
    const customer = await stripe.sdk.customers.create({ email: 'trial@example.test', test_clock: clock.id });
    await insertAccount(db.dataSource, 'acct_trial', customer.id);
    const subscription = await stripe.sdk.subscriptions.create({
      customer: customer.id,
      items: [{ price: prices.pro }],
      trial_period_days: 14,
    });
    await settle();
    expect(await subscriptionMirrors.find(db.dataSource.manager, subscription.id)).toMatchObject({
      status: 'trialing',
      trialEnd: subscription.trial_end,
    });
    await stripe.sdk.testHelpers.testClocks.advance(clock.id, { frozen_time: start + 11 * 86_400 + 3600 });
    await eventually(
      async () => (await stripe.sdk.testHelpers.testClocks.retrieve(clock.id)).status === 'ready',
      10000,
      'the test clock',
    );
    await settle();
    expect(await statusesOf('customer.subscription.trial_will_end')).toEqual(['processed']);
    expect(await effectsOf('customer.subscription.trial_will_end')).toBe(1);
    expect(await subscriptionInSync(subscription.id, 'acct_trial')).toEqual([]);
  });

  it('a pay-first upgrade whose payment never succeeds expires: pending_update_expired leaves the old plan', async () => {
    const start = Math.floor(Date.now() / 1000);
    const clock = await stripe.sdk.testHelpers.testClocks.create({ frozen_time: start });
    const customer = await stripe.sdk.customers.create({ email: 'expiry@example.test', test_clock: clock.id });
    const visa = await stripe.sdk.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await stripe.sdk.customers.update(customer.id, { invoice_settings: { default_payment_method: visa.id } });
    await insertAccount(db.dataSource, 'acct_expiry', customer.id);
    const subscription = await stripe.sdk.subscriptions.create({
      customer: customer.id,
      items: [{ price: prices.pro }],
    });
    const declined = await stripe.sdk.paymentMethods.attach('pm_card_chargeDeclined', { customer: customer.id });
    await stripe.sdk.customers.update(customer.id, { invoice_settings: { default_payment_method: declined.id } });
    await stripe.sdk.subscriptions.update(subscription.id, {
      items: [{ id: subscription.items.data[0]?.id ?? '', price: prices.premium }],
      proration_behavior: 'always_invoice',
      payment_behavior: 'pending_if_incomplete',
    });
    await settle();
    expect((await subscriptionMirrors.find(db.dataSource.manager, subscription.id))?.pendingUpdate).not.toBeNull();

    await stripe.sdk.testHelpers.testClocks.advance(clock.id, { frozen_time: start + 25 * 3600 });
    await eventually(
      async () => (await stripe.sdk.testHelpers.testClocks.retrieve(clock.id)).status === 'ready',
      10000,
      'the test clock',
    );
    await settle();
    expect(await statusesOf('customer.subscription.pending_update_expired')).toEqual(['processed']);
    expect(await subscriptionMirrors.find(db.dataSource.manager, subscription.id)).toMatchObject({
      planCode: 'pro',
      pendingUpdate: null,
    });
    expect(await subscriptionInSync(subscription.id, 'acct_expiry')).toEqual([]);
  });
});

/** The PaymentIntent paying an invoice (API 2026: through `invoice.payments`). */
function paymentIntentOf(invoice: Stripe.Invoice): string {
  const payment = invoice.payments?.data[0]?.payment;
  const intent = payment?.payment_intent;
  return typeof intent === 'string' ? intent : (intent?.id ?? '');
}
