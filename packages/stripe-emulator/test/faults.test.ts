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
  // docs.stripe.com/api/idempotent_requests: a result is saved once the request began executing,
  // 500 errors included, and replayed for the same key (STRIPE.md). The SDK's own retries reuse one
  // key within a call, so they get the saved 500 back; Stripe-Should-Retry: false stops them.
  it('saves a 500 under the idempotency key and replays it to the SDK’s retry', async () => {
    const { emulator } = harness;
    await emulator.control.injectFault({ method: 'POST', path: '/v1/customers', kind: 'api_error_500', count: 1 });
    const failure = (await sdkFor(emulator, 2)
      .customers.create({ email: 'retry@example.com' }, { idempotencyKey: 'saved-500' })
      .catch((error: unknown) => error)) as Stripe.errors.StripeError;
    expect(failure).toMatchObject({ type: 'StripeAPIError', statusCode: 500 });
    expect(failure.headers?.['stripe-should-retry']).toBe('false');
    const replay = (await sdkFor(emulator, 0)
      .customers.create({ email: 'retry@example.com' }, { idempotencyKey: 'saved-500' })
      .catch((error: unknown) => error)) as Stripe.errors.StripeError;
    expect(replay).toMatchObject({ type: 'StripeAPIError', statusCode: 500 });
    expect(replay.headers?.['idempotent-replayed']).toBe('true');
    expect((await harness.stripe.customers.list()).data).toHaveLength(0);
    const created = await sdkFor(emulator, 0).customers.create(
      { email: 'retry@example.com' },
      { idempotencyKey: 'saved-500-next' },
    );
    expect((await harness.stripe.customers.list()).data.map((entry) => entry.id)).toEqual([created.id]);
  });

  it('lets the SDK retry a 500 of a request without a key (a GET): nothing was saved', async () => {
    const { emulator } = harness;
    await emulator.control.injectFault({ method: 'GET', path: '/v1/customers', kind: 'api_error_500', count: 1 });
    await expect(sdkFor(emulator, 2).customers.list()).resolves.toMatchObject({ object: 'list' });
    const attempts = await emulator.control.requestLog({ method: 'GET', path: '/v1/customers' });
    expect(attempts.map((entry) => entry.status)).toEqual([500, 200]);
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
