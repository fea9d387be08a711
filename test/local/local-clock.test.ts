import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalClock } from '../../src/local/local-clock';
import { createLocalMode } from '../../src/local/local-mode';
import { startStripeEmulator, type StripeEmulator } from '@tierlift/stripe-emulator';
import { createStripeClient, type StripeClient } from '../../src/stripe/stripe-client';

const DAY_MS = 86_400_000;
/** A fixed "real" time the tests move by hand: nothing here reads the wall clock. */
const REAL = Date.UTC(2026, 5, 1, 12, 0, 0, 250);

describe('the local clock (DATA_DIR/local-clock.json)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tierlift-local-clock-'));
  const statePath = path.join(dir, 'local-clock.json');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('moves forward to a whole second, keeps the offset across a restart, and refuses to go back', () => {
    let real = REAL;
    const clock = createLocalClock({ statePath, realNow: () => real });
    expect(clock.now().getTime()).toBe(REAL);
    const moved = clock.moveForward(8 * DAY_MS);
    expect(moved.getTime()).toBe(Date.UTC(2026, 5, 9, 12, 0, 1));
    expect(clock.now()).toEqual(moved);
    expect(clock.offsetDays()).toBe(8);
    expect(() => clock.moveForward(-DAY_MS)).toThrow('only moves forward');
    expect(() => clock.moveForward(0)).toThrow('only moves forward');

    real += 60_000;
    const restarted = createLocalClock({ statePath, realNow: () => real });
    expect(restarted.offsetDays()).toBe(8);
    expect(restarted.now().getTime()).toBe(REAL + 60_000 + 8 * DAY_MS);
  });

  it('never shows a time before the one it was moved to, even when the machine clock is set back', () => {
    const restarted = createLocalClock({ statePath, realNow: () => REAL - DAY_MS });
    expect(restarted.now().getTime()).toBe(Date.UTC(2026, 5, 9, 12, 0, 1));
    expect(restarted.moveForward(DAY_MS).getTime()).toBe(Date.UTC(2026, 5, 10, 12, 0, 1));
  });

  it('refuses a file that is not a clock rather than silently starting over', () => {
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{"offset":3}');
    expect(() => createLocalClock({ statePath: bad })).toThrow('not a local clock file');
  });
});

/** docs.stripe.com/billing/testing/test-clocks: customers live on a clock; advancing it runs what falls due. */
describe('local mode on the emulator: one test clock per customer, moved with the service', () => {
  let emulator: StripeEmulator;
  let stripe: StripeClient;
  let real = REAL;
  const clock = createLocalClock({ realNow: () => real });

  beforeAll(async () => {
    emulator = await startStripeEmulator({ now: () => Math.floor(clock.now().getTime() / 1000) });
    stripe = createStripeClient({
      secretKey: emulator.secretKey,
      emulator: { host: emulator.host, port: emulator.port },
    });
  });
  afterAll(async () => emulator?.close());

  it("starts each account's test clock at the service's now and finds it again after a restart", async () => {
    const mode = createLocalMode({ clock, stripe });
    const first = await mode.customerClocks.forNewCustomer('acct_one');
    expect(await mode.customerClocks.forNewCustomer('acct_one')).toEqual(first);
    const testClock = await stripe.testHelpers.testClocks.retrieve(first);
    expect(testClock.frozen_time).toBe(Math.floor(REAL / 1000));

    real += 5_000;
    const afterRestart = createLocalMode({ clock, stripe });
    expect(await afterRestart.customerClocks.forNewCustomer('acct_one')).toEqual(first);
    expect(await afterRestart.customerClocks.forNewCustomer('acct_two')).not.toEqual(first);
  });

  it('skips the service clock, the emulator and every test clock to the same second', async () => {
    const mode = createLocalMode({ clock, stripe });
    const one = await mode.customerClocks.forNewCustomer('acct_one');
    const two = await mode.customerClocks.forNewCustomer('acct_two');
    const skipped = await mode.skip(3);
    expect(skipped).toMatchObject({ offsetDays: 3, testClocks: 2 });
    const second = Math.floor(skipped.now.getTime() / 1000);
    expect((await stripe.testHelpers.testClocks.retrieve(one)).frozen_time).toBe(second);
    expect((await stripe.testHelpers.testClocks.retrieve(two)).frozen_time).toBe(second);
    // A customer without a test clock lives on the emulator's clock, which is the service's.
    const plain = await stripe.customers.create({ email: 'plain@example.com' });
    expect(plain.created).toBe(second);
  });

  it("brings a customer's test clock level with the service's clock before billing uses it", async () => {
    const mode = createLocalMode({ clock, stripe });
    const testClock = await mode.customerClocks.forNewCustomer('acct_three');
    const customer = await stripe.customers.create({ test_clock: testClock });
    const before = (await stripe.testHelpers.testClocks.retrieve(testClock)).frozen_time;
    real += 90_000;
    await mode.customerClocks.catchUp(customer.id);
    const after = (await stripe.testHelpers.testClocks.retrieve(testClock)).frozen_time;
    expect(after).toBeGreaterThan(before + 60);
    expect(after).toBe(Math.floor(clock.now().getTime() / 1000));
    // Already level, or no test clock at all: nothing to move, nothing refused.
    await expect(mode.customerClocks.catchUp(customer.id)).resolves.toBeUndefined();
    const plain = await stripe.customers.create({ email: 'no-clock@example.com' });
    await expect(mode.customerClocks.catchUp(plain.id)).resolves.toBeUndefined();
  });
});
