import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import supertest from 'supertest';
import type { Stripe } from '../../src/stripe/stripe-client';
import { chargeMirror } from '../../src/webhooks/charge-mirror';
import { invoiceMirror } from '../../src/webhooks/invoice-mirror';
import { priceCodeResolver } from '../../src/webhooks/price-codes';
import { stripeObjectsFrom } from '../../src/webhooks/stripe-objects';
import { mirrorDifferences, subscriptionMirror, type SubscriptionMirror } from '../../src/webhooks/subscription-mirror';
import { subscriptionMirrors } from '../../src/webhooks/subscription-mirror.repository';
import type { TestDatabase } from '../support/test-database';
import { payingCustomer, planPrices, startEmulatedStripe, type EmulatedStripe } from './support/emulator-stripe';
import {
  chargeState,
  invoiceState,
  localCharges,
  localInvoices,
  type ChargeState,
  type InvoiceState,
} from './support/mirror-projection';
import {
  countRows,
  createWebhookDatabase,
  dropQueueSchema,
  eventually,
  insertAccount,
  signature,
  startInstance,
  type WebhookInstance,
} from './support/webhook-harness';
import { createExpressServer } from '../../src/shared/http/express-server';

const HANDLED: Stripe.WebhookEndpointCreateParams.EnabledEvent[] = [
  'customer.subscription.created',
  'customer.subscription.updated',
  'invoice.paid',
  'charge.refunded',
];
const ORDERS = 200;
const ACCOUNT = 'acct_order';

/** Deterministic PRNG (mulberry32) so a failing order can be reproduced from its number. */
function random(seed: number): () => number {
  let a = seed + 0x6d2b79f5;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: T[], seed: number): T[] {
  const next = random(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

describe('out-of-order delivery against the Stripe emulator', () => {
  let stripe: EmulatedStripe;
  let db: TestDatabase;
  let sut: WebhookInstance;
  let server: http.Server;
  let secret: string;
  let subscriptionId: string;
  const events: Array<{ id: string; type: string; body: string }> = [];
  const expected: { subscription?: SubscriptionMirror; invoices: InvoiceState[]; charges: ChargeState[] } = {
    invoices: [],
    charges: [],
  };

  beforeAll(async () => {
    stripe = await startEmulatedStripe();
    db = await createWebhookDatabase();
    const listener = createExpressServer((_req, res) => res.writeHead(503).end());
    server = listener.server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/stripe`;
    const endpoint = await stripe.sdk.webhookEndpoints.create({ url, enabled_events: HANDLED });
    secret = endpoint.secret ?? '';
    sut = await startInstance(db, stripeObjectsFrom(stripe.sdk), {}, secret);
    listener.serve(sut.app);

    // The eight-event sequence: subscribe, upgrade with an immediate prorated invoice, change the
    // quantity, schedule and undo a cancellation, refund part of the upgrade's charge.
    await stripe.emulator.control.setDeliveryMode({ paused: true });
    const prices = await planPrices(stripe.sdk);
    const customer = await payingCustomer(stripe.sdk, ACCOUNT);
    await insertAccount(db.dataSource, ACCOUNT, customer);
    const created = await stripe.sdk.subscriptions.create({ customer, items: [{ price: prices.pro }] });
    subscriptionId = created.id;
    const itemId = created.items.data[0]?.id ?? '';
    await stripe.sdk.subscriptions.update(subscriptionId, {
      items: [{ id: itemId, price: prices.premium }],
      proration_behavior: 'always_invoice',
    });
    await stripe.sdk.subscriptions.update(subscriptionId, {
      items: [{ id: itemId, quantity: 2 }],
      proration_behavior: 'none',
    });
    await stripe.sdk.subscriptions.update(subscriptionId, { cancel_at_period_end: true });
    await stripe.sdk.subscriptions.update(subscriptionId, { cancel_at_period_end: false });
    const [latestCharge] = (await stripe.sdk.charges.list({ customer })).data;
    await stripe.sdk.refunds.create({ charge: latestCharge?.id ?? '', amount: 500 });

    for (const delivery of await stripe.emulator.control.pendingDeliveries()) {
      const res = await fetch(`${stripe.emulator.url}/v1/events/${delivery.eventId}`, {
        headers: { Authorization: `Bearer ${stripe.emulator.secretKey}` },
      });
      events.push({ id: delivery.eventId, type: delivery.type, body: await res.text() });
    }

    // Stripe's final state, which every order must end in.
    const resolve = priceCodeResolver();
    expected.subscription = subscriptionMirror(
      await stripe.sdk.subscriptions.retrieve(subscriptionId),
      ACCOUNT,
      resolve,
    );
    const objectIds = (type: string) =>
      events
        .filter((e) => e.type === type)
        .map((e) => (JSON.parse(e.body) as { data: { object: { id: string } } }).data.object.id);
    for (const id of [...new Set(objectIds('invoice.paid'))].sort()) {
      expected.invoices.push(invoiceState(invoiceMirror(await stripe.sdk.invoices.retrieve(id), ACCOUNT)));
    }
    for (const id of [...new Set(objectIds('charge.refunded'))].sort()) {
      expected.charges.push(chargeState(chargeMirror(await stripe.sdk.charges.retrieve(id), ACCOUNT)));
    }
  });

  afterAll(async () => {
    await sut.close();
    await new Promise((resolve) => server.close(resolve));
    await stripe.emulator.close();
    await dropQueueSchema(db);
    await db.drop();
  });

  const resetLocalState = () =>
    db.dataSource.query(
      'DELETE FROM webhook_effects; DELETE FROM webhook_events; DELETE FROM charges; DELETE FROM invoices; DELETE FROM subscriptions',
    );

  const localMatchesStripe = async (): Promise<string[]> => {
    const problems: string[] = [];
    const local = await subscriptionMirrors.find(db.dataSource.manager, subscriptionId);
    const differences = mirrorDifferences(local, expected.subscription as SubscriptionMirror);
    if (differences.length > 0) problems.push(`subscription differs in ${differences.join(', ')}`);
    if (JSON.stringify(await localInvoices(db.dataSource)) !== JSON.stringify(expected.invoices))
      problems.push('invoices differ');
    if (JSON.stringify(await localCharges(db.dataSource)) !== JSON.stringify(expected.charges))
      problems.push('charges differ');
    return problems;
  };

  it('collected the eight-event subscription and invoice sequence', () => {
    expect(events.map((e) => e.type).sort()).toEqual([
      'charge.refunded',
      'customer.subscription.created',
      'customer.subscription.updated',
      'customer.subscription.updated',
      'customer.subscription.updated',
      'customer.subscription.updated',
      'invoice.paid',
      'invoice.paid',
    ]);
    expect(expected.subscription).toMatchObject({ planCode: 'premium', status: 'active', cancelAtPeriodEnd: false });
    expect(expected.subscription?.items).toEqual([expect.objectContaining({ code: 'premium', quantity: 2 })]);
    expect(expected.invoices).toHaveLength(2);
    expect(expected.charges).toEqual([expect.objectContaining({ amount_refunded: 500, refunded: false })]);
  });

  it(`ends equal to Stripe's final state in each of ${ORDERS} random delivery orders`, async () => {
    const failures: string[] = [];
    for (let order = 0; order < ORDERS; order += 1) {
      await resetLocalState();
      const sequence = shuffled(events, order);
      const deliver = (e: { body: string }) =>
        supertest(sut.app)
          .post('/webhooks/stripe')
          .set('Content-Type', 'application/json')
          .set('Stripe-Signature', signature(e.body, { secret }))
          .send(e.body);
      if (order % 2 === 0) {
        // Delivered and processed one at a time, in this order.
        for (const e of sequence) {
          expect((await deliver(e)).status).toBe(200);
          await sut.webhooks.processEvent(e.id);
        }
      } else {
        // Delivered in this order, then processed all at once by competing workers.
        for (const e of sequence) expect((await deliver(e)).status).toBe(200);
        await Promise.all(sequence.map((e) => sut.webhooks.processEvent(e.id)));
      }
      const processed = await countRows(
        db.dataSource,
        "SELECT count(*) AS n FROM webhook_events WHERE status = 'processed'",
      );
      const problems = await localMatchesStripe();
      if (processed !== events.length) problems.push(`${processed} of ${events.length} processed`);
      if (problems.length > 0)
        failures.push(`order ${order} (${sequence.map((e) => e.type).join(' > ')}): ${problems.join('; ')}`);
    }
    expect(failures).toEqual([]);
  }, 300000);

  it("ends equal to Stripe's final state when the emulator itself delivers duplicates, shuffled", async () => {
    await resetLocalState();
    await sut.webhooks.startWorker();
    await stripe.emulator.control.setDeliveryMode({ paused: false, duplicates: 1, shuffle: true });
    await stripe.emulator.control.flushDeliveries();
    await eventually(
      async () =>
        (await countRows(db.dataSource, "SELECT count(*) AS n FROM webhook_events WHERE status = 'processed'")) ===
        events.length,
      30000,
      'every delivered event to be processed',
    );
    expect(await localMatchesStripe()).toEqual([]);
    expect(await countRows(db.dataSource, 'SELECT count(*) AS n FROM webhook_effects')).toBe(events.length);
  });
});
