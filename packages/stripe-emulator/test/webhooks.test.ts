import Stripe from 'stripe';
import { startHarness, type Harness } from './support/emulator-harness';
import { WebhookReceiver } from './support/webhook-receiver';

let harness: Harness;
let receiver: WebhookReceiver;
let endpoint: Stripe.WebhookEndpoint;
const verifier = new Stripe('sk_test_verifier');

beforeAll(async () => {
  harness = await startHarness({ webhookRetry: { initialDelayMs: 20, maxDelayMs: 40, maxAttempts: 4 } });
});
afterAll(async () => harness.emulator.close());
beforeEach(async () => {
  await harness.emulator.control.reset();
  receiver = await new WebhookReceiver().start();
  endpoint = await harness.stripe.webhookEndpoints.create({
    url: receiver.url,
    enabled_events: ['customer.created', 'customer.updated'],
  });
});
afterEach(async () => receiver.stop());

describe('webhook delivery', () => {
  it('signs every delivery so constructEvent accepts it with the endpoint secret', async () => {
    const { stripe } = harness;
    const customer = await stripe.customers.create({ email: 'a@example.com' });
    await stripe.customers.update(customer.id, { name: 'Ada' });
    await receiver.waitFor((received) => received.length === 2);
    const events = receiver.received.map((webhook) =>
      verifier.webhooks.constructEvent(webhook.body, webhook.signature, endpoint.secret ?? ''),
    );
    expect(events.map((event) => event.type).sort()).toEqual(['customer.created', 'customer.updated']);
    const updated = events.find((event) => event.type === 'customer.updated');
    expect(updated).toMatchObject({
      object: 'event',
      api_version: '2026-10-28.endive',
      livemode: false,
      data: { object: { id: customer.id, name: 'Ada' }, previous_attributes: { name: null } },
    });
    expect(updated?.request?.idempotency_key).toMatch(/^stripe-node-retry-/);
  });

  it('fails verification for a tampered body or another secret', async () => {
    await harness.stripe.customers.create({ email: 'b@example.com' });
    await receiver.waitFor((received) => received.length === 1);
    const [webhook] = receiver.received;
    const tampered = (webhook?.body ?? '').replace('b@example.com', 'evil@example.com');
    expect(() => verifier.webhooks.constructEvent(tampered, webhook?.signature ?? '', endpoint.secret ?? '')).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    expect(() =>
      verifier.webhooks.constructEvent(webhook?.body ?? '', webhook?.signature ?? '', 'whsec_other'),
    ).toThrow(Stripe.errors.StripeSignatureVerificationError);
  });

  it('only sends the event types an endpoint enabled', async () => {
    await harness.stripe.products.create({ name: 'Not subscribed to' });
    await harness.stripe.customers.create({ email: 'c@example.com' });
    await receiver.waitFor((received) => received.length === 1);
    await harness.emulator.control.waitForDeliveries();
    expect(receiver.types()).toEqual(['customer.created']);
  });

  it('retries a failing endpoint with backoff until it answers 2xx', async () => {
    receiver.failNext = 2;
    const customer = await harness.stripe.customers.create({ email: 'd@example.com' });
    await receiver.waitFor((received) => received.length === 1);
    expect(receiver.received[0]?.body).toContain(customer.id);
  });

  it('lists events whose delivery failed with delivery_success=false', async () => {
    receiver.failNext = 100;
    await harness.stripe.customers.create({ email: 'e@example.com' });
    await harness.emulator.control.waitForDeliveries();
    const failed = await harness.stripe.events.list({ delivery_success: false });
    expect(failed.data.map((event) => event.type)).toEqual(['customer.created']);
  });

  it('holds deliveries while paused, then delivers duplicates out of order on flush', async () => {
    const { stripe, emulator } = harness;
    await emulator.control.setDeliveryMode({ paused: true, duplicates: 1, shuffle: true });
    const created: string[] = [];
    for (let index = 0; index < 6; index += 1)
      created.push((await stripe.customers.create({ email: `${index}@example.com` })).id);
    expect(await emulator.control.pendingDeliveries()).toHaveLength(6);
    expect(receiver.received).toHaveLength(0);

    await emulator.control.flushDeliveries();
    await receiver.waitFor((received) => received.length === 12);
    const customerIds = receiver.received.map(
      (webhook) => (JSON.parse(webhook.body) as { data: { object: { id: string } } }).data.object.id,
    );
    expect(new Set(customerIds)).toEqual(new Set(created));
    expect(customerIds.filter((id) => id === created[0])).toHaveLength(2);
  });

  it('re-delivers an existing event on request', async () => {
    const { stripe, emulator } = harness;
    await stripe.customers.create({ email: 'f@example.com' });
    await receiver.waitFor((received) => received.length === 1);
    const [event] = (await stripe.events.list({ type: 'customer.created' })).data;
    await emulator.control.deliverEvent(event?.id ?? '', endpoint.id);
    expect(receiver.ids()).toEqual([event?.id, event?.id]);
  });

  it('reveals the signing secret only when the endpoint is created', async () => {
    expect(endpoint.secret).toMatch(/^whsec_/);
    expect((await harness.stripe.webhookEndpoints.retrieve(endpoint.id)).secret).toBeUndefined();
  });
});
