import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import supertest from 'supertest';
import { stripeObjectsFrom } from '../../src/webhooks/stripe-objects';
import type { TestDatabase } from '../support/test-database';
import { payingCustomer, planPrices, startEmulatedStripe, type EmulatedStripe } from './support/emulator-stripe';
import {
  createWebhookDatabase,
  dropQueueSchema,
  eventually,
  insertAccount,
  signature,
  startInstance,
  type WebhookInstance,
} from './support/webhook-harness';
import { createExpressServer } from '../../src/shared/http/express-server';

/**
 * API 2026-10-28: a charge does not name its invoice; Stripe links them as invoice → payments →
 * PaymentIntent ← charge. The charge mirror's invoice_id must come out the same whichever of
 * invoice.paid and charge.refunded is processed first, at once, or delivered twice.
 */
describe('charges.invoice_id from the invoice payments', () => {
  const ACCOUNT = 'acct_link';
  let stripe: EmulatedStripe;
  let db: TestDatabase;
  let sut: WebhookInstance;
  let server: http.Server;
  let secret: string;
  let chargeId: string;
  let invoiceId: string;
  const events: Record<'invoice' | 'charge', { id: string; body: string }> = {
    invoice: { id: '', body: '' },
    charge: { id: '', body: '' },
  };

  beforeAll(async () => {
    stripe = await startEmulatedStripe();
    db = await createWebhookDatabase();
    const listener = createExpressServer((_req, res) => res.writeHead(503).end());
    server = listener.server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/stripe`;
    const endpoint = await stripe.sdk.webhookEndpoints.create({
      url,
      enabled_events: ['invoice.paid', 'charge.refunded'],
    });
    secret = endpoint.secret ?? '';
    sut = await startInstance(db, stripeObjectsFrom(stripe.sdk), {}, secret);
    listener.serve(sut.app);

    await stripe.emulator.control.setDeliveryMode({ paused: true });
    const prices = await planPrices(stripe.sdk);
    const customer = await payingCustomer(stripe.sdk, ACCOUNT);
    await insertAccount(db.dataSource, ACCOUNT, customer);
    await stripe.sdk.subscriptions.create({ customer, items: [{ price: prices.pro }] });
    const [charge] = (await stripe.sdk.charges.list({ customer })).data;
    chargeId = charge?.id ?? '';
    await stripe.sdk.refunds.create({ charge: chargeId, amount: 500 });
    const paymentIntent = typeof charge?.payment_intent === 'string' ? charge.payment_intent : '';
    const [payment] = (
      await stripe.sdk.invoicePayments.list({ payment: { type: 'payment_intent', payment_intent: paymentIntent } })
    ).data;
    invoiceId = typeof payment?.invoice === 'string' ? payment.invoice : (payment?.invoice?.id ?? '');
    expect(invoiceId).toMatch(/^in_/);

    for (const delivery of await stripe.emulator.control.pendingDeliveries()) {
      const res = await fetch(`${stripe.emulator.url}/v1/events/${delivery.eventId}`, {
        headers: { Authorization: `Bearer ${stripe.emulator.secretKey}` },
      });
      const kind = delivery.type === 'invoice.paid' ? 'invoice' : 'charge';
      events[kind] = { id: delivery.eventId, body: await res.text() };
    }
  });

  afterAll(async () => {
    await sut.close();
    await new Promise((resolve) => server.close(resolve));
    await stripe.emulator.close();
    await dropQueueSchema(db);
    await db.drop();
  });

  const reset = () =>
    db.dataSource.query(
      'DELETE FROM webhook_effects; DELETE FROM webhook_events; DELETE FROM charges; DELETE FROM invoices',
    );
  const store = async (e: { body: string }) => {
    const res = await supertest(sut.app)
      .post('/webhooks/stripe')
      .set('Content-Type', 'application/json')
      .set('Stripe-Signature', signature(e.body, { secret }))
      .send(e.body);
    expect(res.status).toBe(200);
  };
  const linkedInvoice = async () => {
    const rows: Array<{ invoice_id: string | null }> = await db.dataSource.query(
      'SELECT invoice_id FROM charges WHERE id = $1',
      [chargeId],
    );
    return rows[0]?.invoice_id;
  };

  it('links the charge when its invoice was mirrored first', async () => {
    await reset();
    for (const e of [events.invoice, events.charge]) {
      await store(e);
      await sut.webhooks.processEvent(e.id);
    }
    expect(await linkedInvoice()).toBe(invoiceId);
  });

  it('links the charge when the invoice is mirrored after it', async () => {
    await reset();
    for (const e of [events.charge, events.invoice]) {
      await store(e);
      await sut.webhooks.processEvent(e.id);
    }
    expect(await linkedInvoice()).toBe(invoiceId);
  });

  it('links the charge when both are processed at once by competing workers', async () => {
    for (let round = 0; round < 10; round += 1) {
      await reset();
      await store(events.charge);
      await store(events.invoice);
      await Promise.all([sut.webhooks.processEvent(events.invoice.id), sut.webhooks.processEvent(events.charge.id)]);
      expect(await linkedInvoice()).toBe(invoiceId);
    }
  });

  it('links the charge when the emulator delivers duplicates, shuffled', async () => {
    await reset();
    await sut.webhooks.startWorker();
    await stripe.emulator.control.setDeliveryMode({ paused: false, duplicates: 2, shuffle: true });
    await stripe.emulator.control.flushDeliveries();
    await eventually(async () => (await linkedInvoice()) === invoiceId, 30000, 'the charge linked to its invoice');
    const [invoice] = await db.dataSource.query('SELECT payment_intent_ids FROM invoices WHERE id = $1', [invoiceId]);
    expect(invoice.payment_intent_ids).toHaveLength(1);
  });
});
