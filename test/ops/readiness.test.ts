import { Readiness, stripeCheck } from '../../src/ops/readiness';

/** A stand-in with the one read the check makes (the real client is exercised in local-mode.test.ts). */
function fakeStripe(fail: () => boolean) {
  const calls = { count: 0 };
  return {
    calls,
    products: {
      list: async () => {
        calls.count += 1;
        if (fail()) throw new Error('connect ECONNREFUSED');
        return { data: [] };
      },
    },
  };
}

describe('readiness', () => {
  it('is not ready while Stripe cannot be reached, and names why', async () => {
    const readiness = new Readiness([stripeCheck(fakeStripe(() => true))]);
    expect(await readiness.status()).toEqual({ ready: false, checks: { stripe: 'connect ECONNREFUSED' } });
  });

  it('asks Stripe at most once per cache window when it answers', async () => {
    const stripe = fakeStripe(() => false);
    const readiness = new Readiness([stripeCheck(stripe, 60_000)]);
    for (let i = 0; i < 5; i += 1) expect((await readiness.status()).ready).toBe(true);
    expect(stripe.calls.count).toBe(1);
  });

  it('keeps asking while Stripe fails, so recovery is seen at once', async () => {
    let down = true;
    const stripe = fakeStripe(() => down);
    const readiness = new Readiness([stripeCheck(stripe, 60_000)]);
    expect((await readiness.status()).ready).toBe(false);
    down = false;
    expect((await readiness.status()).ready).toBe(true);
    expect(stripe.calls.count).toBe(2);
  });

  it('turns not ready as soon as draining starts, whatever the checks say', async () => {
    const readiness = new Readiness([stripeCheck(fakeStripe(() => false))]);
    readiness.startDraining();
    expect(await readiness.status()).toEqual({ ready: false, checks: { shutdown: 'draining' } });
  });
});
