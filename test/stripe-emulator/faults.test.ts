import Stripe from 'stripe';
import { sdkFor, startHarness, type Harness } from './support/emulator-harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness.emulator.close());
beforeEach(async () => {
  await harness.emulator.control.reset();
  await harness.emulator.control.clearRequestLog();
});

const customerPosts = () => harness.emulator.control.requestLog({ method: 'POST', path: '/v1/customers' });

describe('fault injection', () => {
  it('retries a 500 through the SDK with one idempotency key and then succeeds', async () => {
    const { emulator } = harness;
    await emulator.control.injectFault({ method: 'POST', path: '/v1/customers', kind: 'api_error_500', count: 1 });
    const customer = await sdkFor(emulator, 2).customers.create({ email: 'retry@example.com' });
    const attempts = await customerPosts();
    expect(attempts.map((entry) => entry.status)).toEqual([500, 200]);
    expect(attempts[0]?.idempotencyKey).toMatch(/^stripe-node-retry-/);
    expect(new Set(attempts.map((entry) => entry.idempotencyKey)).size).toBe(1);
    expect((await harness.stripe.customers.list()).data.map((entry) => entry.id)).toEqual([customer.id]);
  });

  it('surfaces a persistent 500 as StripeAPIError once the retries are spent', async () => {
    const { emulator } = harness;
    await emulator.control.injectFault({ method: 'POST', path: '/v1/customers', kind: 'api_error_500', count: 3 });
    await expect(sdkFor(emulator, 2).customers.create({})).rejects.toMatchObject({
      type: 'StripeAPIError',
      statusCode: 500,
      rawType: 'api_error',
    });
    expect((await customerPosts()).map((entry) => entry.status)).toEqual([500, 500, 500]);
  });

  it('answers 429 rate_limit, which the SDK does not retry', async () => {
    const { emulator } = harness;
    await emulator.control.injectFault({ method: 'POST', path: '/v1/customers', kind: 'rate_limit_429' });
    await expect(sdkFor(emulator, 2).customers.create({})).rejects.toMatchObject({
      type: 'StripeRateLimitError',
      rawType: 'rate_limit_error',
      statusCode: 429,
      code: 'rate_limit',
    });
    expect(await customerPosts()).toHaveLength(1);
  });

  it('answers 429 lock_timeout with Stripe-Should-Retry, which the SDK retries', async () => {
    const { emulator } = harness;
    await emulator.control.injectFault({ method: 'POST', path: '/v1/customers', kind: 'lock_timeout_429' });
    await expect(sdkFor(emulator, 0).customers.create({})).rejects.toMatchObject({
      type: 'StripeRateLimitError',
      statusCode: 429,
      code: 'lock_timeout',
      headers: { 'stripe-should-retry': 'true' },
    });
    await emulator.control.injectFault({ method: 'POST', path: '/v1/customers', kind: 'lock_timeout_429' });
    await expect(sdkFor(emulator, 2).customers.create({})).resolves.toMatchObject({ object: 'customer' });
    expect((await customerPosts()).map((entry) => entry.status)).toEqual([429, 429, 200]);
  });

  it('drops the connection: StripeConnectionError once the SDK gives up', async () => {
    const { emulator } = harness;
    await emulator.control.injectFault({ method: 'POST', path: '/v1/customers', kind: 'drop_connection', count: 2 });
    await expect(sdkFor(emulator, 0).customers.create({})).rejects.toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect((await customerPosts()).map((entry) => entry.status)).toEqual([null, null]);
    expect((await harness.stripe.customers.list()).data).toHaveLength(0);
  });

  it('can run the request and then drop the answer: the retry with the same key replays it', async () => {
    const { emulator } = harness;
    await emulator.control.injectFault({ method: 'POST', path: '/v1/customers', kind: 'drop_connection', after: true });
    const customer = await sdkFor(emulator, 1).customers.create({ email: 'lost-answer@example.com' });
    expect(customer.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect((await harness.stripe.customers.list()).data.map((entry) => entry.id)).toEqual([customer.id]);
  });

  it('delays matching requests, which a short SDK timeout sees as a connection error', async () => {
    const { emulator } = harness;
    await emulator.control.injectFault({
      method: 'GET',
      path: '/v1/customers*',
      kind: 'delay',
      delayMs: 300,
      count: 2,
    });
    const started = Date.now();
    await harness.stripe.customers.list();
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    const impatient = new Stripe(emulator.secretKey, {
      host: emulator.host,
      port: emulator.port,
      protocol: 'http',
      timeout: 100,
      maxNetworkRetries: 0,
    });
    await expect(impatient.customers.list()).rejects.toBeInstanceOf(Stripe.errors.StripeConnectionError);
  });

  it('leaves other paths and methods alone, and can be driven over HTTP', async () => {
    const { emulator } = harness;
    const armed = await fetch(`${emulator.url}/_emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ method: 'POST', path: '/v1/products', kind: 'api_error_500' }),
    });
    expect(armed.status).toBe(200);
    await expect(harness.stripe.customers.create({})).resolves.toMatchObject({ object: 'customer' });
    await expect(harness.stripe.products.create({ name: 'X' })).rejects.toMatchObject({ statusCode: 500 });
    const log = (await (await fetch(`${emulator.url}/_emulator/requests?path=/v1/products`)).json()) as Array<{
      status: number;
    }>;
    expect(log.map((entry) => entry.status)).toEqual([500]);
  });
});
