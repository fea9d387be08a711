import type Stripe from 'stripe';
import { sdkFor, startHarness, type Harness } from './support/emulator-harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness.emulator.close());
beforeEach(async () => harness.emulator.control.reset());

describe('Idempotency-Key', () => {
  it('replays the first response for the same key and parameters', async () => {
    const { stripe } = harness;
    const first = await stripe.customers.create({ email: 'same@example.com' }, { idempotencyKey: 'create-customer-1' });
    const second = await stripe.customers.create(
      { email: 'same@example.com' },
      { idempotencyKey: 'create-customer-1' },
    );
    expect(second.id).toBe(first.id);
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(first.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect((await stripe.customers.list()).data).toHaveLength(1);
  });

  it('refuses the same key with different parameters with an idempotency_error', async () => {
    const { stripe } = harness;
    await stripe.customers.create({ email: 'one@example.com' }, { idempotencyKey: 'key-mismatch' });
    await expect(
      stripe.customers.create({ email: 'two@example.com' }, { idempotencyKey: 'key-mismatch' }),
    ).rejects.toMatchObject({
      type: 'StripeIdempotencyError',
      rawType: 'idempotency_error',
      statusCode: 400,
    });
  });

  it('refuses the same key on another endpoint', async () => {
    const { stripe } = harness;
    await stripe.products.create({ name: 'A' }, { idempotencyKey: 'shared-key' });
    await expect(stripe.customers.create({ name: 'A' }, { idempotencyKey: 'shared-key' })).rejects.toMatchObject({
      rawType: 'idempotency_error',
      statusCode: 400,
    });
  });

  it('answers 409 while the first request with the key is still running', async () => {
    const { emulator } = harness;
    const stripe = sdkFor(emulator, 0);
    await emulator.control.injectFault({ method: 'POST', path: '/v1/customers', kind: 'delay', delayMs: 300 });
    const first = stripe.customers.create({ email: 'slow@example.com' }, { idempotencyKey: 'in-flight' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const concurrent = await stripe.customers
      .create({ email: 'slow@example.com' }, { idempotencyKey: 'in-flight' })
      .catch((error: Stripe.errors.StripeError) => error);
    expect(concurrent).toMatchObject({ statusCode: 409, code: 'idempotency_key_in_use', rawType: 'idempotency_error' });
    await expect(first).resolves.toMatchObject({ email: 'slow@example.com' });
  });

  it('lets the SDK retry a 409 until the first request finishes, then replays it', async () => {
    const { emulator } = harness;
    const stripe = sdkFor(emulator, 5);
    await emulator.control.injectFault({ method: 'POST', path: '/v1/customers', kind: 'delay', delayMs: 400 });
    const first = stripe.customers.create({ email: 'retry@example.com' }, { idempotencyKey: 'retry-409' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await stripe.customers.create({ email: 'retry@example.com' }, { idempotencyKey: 'retry-409' });
    expect(second.id).toBe((await first).id);
    const statuses = (await emulator.control.requestLog({ method: 'POST', path: '/v1/customers' })).map(
      (entry) => entry.status,
    );
    expect(statuses).toContain(409);
  });

  it('does not save a response that failed validation, so the key stays usable', async () => {
    const { stripe } = harness;
    await expect(
      stripe.customers.create({ emali: 'typo@example.com' } as Stripe.CustomerCreateParams, {
        idempotencyKey: 'after-typo',
      }),
    ).rejects.toMatchObject({ code: 'parameter_unknown' });
    await expect(
      stripe.customers.create({ email: 'fixed@example.com' }, { idempotencyKey: 'after-typo' }),
    ).resolves.toMatchObject({ email: 'fixed@example.com' });
  });
});
