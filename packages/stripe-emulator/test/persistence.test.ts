import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startHarness } from './support/emulator-harness';

describe('persistence', () => {
  it('keeps state across a restart through the state file', async () => {
    const statePath = path.join(mkdtempSync(path.join(tmpdir(), 'stripe-emulator-')), 'state.json');
    const first = await startHarness({ statePath });
    const customer = await first.stripe.customers.create({ email: 'persisted@example.com' });
    expect(readFileSync(statePath, 'utf8')).toContain(customer.id);
    await first.emulator.close();

    const second = await startHarness({ statePath });
    await expect(second.stripe.customers.retrieve(customer.id)).resolves.toMatchObject({
      email: 'persisted@example.com',
    });
    await second.emulator.control.reset();
    await expect(second.stripe.customers.retrieve(customer.id)).rejects.toMatchObject({ statusCode: 404 });
    await second.emulator.close();
  });

  it('remembers idempotency keys across a restart', async () => {
    const statePath = path.join(mkdtempSync(path.join(tmpdir(), 'stripe-emulator-')), 'state.json');
    const first = await startHarness({ statePath });
    const created = await first.stripe.customers.create({ email: 'once@example.com' }, { idempotencyKey: 'op-123' });
    await first.emulator.close();
    const second = await startHarness({ statePath });
    const replayed = await second.stripe.customers.create({ email: 'once@example.com' }, { idempotencyKey: 'op-123' });
    expect(replayed.id).toBe(created.id);
    expect((await second.stripe.customers.list()).data).toHaveLength(1);
    await second.emulator.close();
  });

  it('does not keep the changes of a request that failed', async () => {
    const harness = await startHarness();
    const customer = await harness.stripe.customers.create({});
    const price = await harness.stripe.prices.create({
      currency: 'usd',
      unit_amount: 100,
      product_data: { name: 'One-time' },
    });
    await expect(
      harness.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] }),
    ).rejects.toMatchObject({ statusCode: 400 });
    expect((await harness.stripe.invoices.list({ customer: customer.id })).data).toHaveLength(0);
    await harness.emulator.close();
  });
});
