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
  it('stays ready while Stripe cannot be reached, reporting it as unavailable without the error (issue #19)', async () => {
    const failures: string[] = [];
    const readiness = new Readiness([stripeCheck(fakeStripe(() => true))], (check, error) =>
      failures.push(`${check}: ${String(error)}`),
    );
    expect(await readiness.status()).toEqual({ ready: true, checks: { stripe: 'unavailable' } });
    expect(failures).toEqual(['stripe: Error: connect ECONNREFUSED']);
  });

  it('is not ready while a check that gates readiness fails, and shows no error text', async () => {
    const database = {
      name: 'database',
      check: async () => {
        throw new Error('connect ECONNREFUSED 10.0.0.7:5432');
      },
    };
    const readiness = new Readiness([database, stripeCheck(fakeStripe(() => false))]);
    expect(await readiness.status()).toEqual({ ready: false, checks: { database: 'unavailable', stripe: 'ok' } });
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
    expect((await readiness.status()).checks).toEqual({ stripe: 'unavailable' });
    down = false;
    expect((await readiness.status()).checks).toEqual({ stripe: 'ok' });
    expect(stripe.calls.count).toBe(2);
  });

  it('turns not ready as soon as draining starts, whatever the checks say', async () => {
    const readiness = new Readiness([stripeCheck(fakeStripe(() => false))]);
    readiness.startDraining();
    expect(await readiness.status()).toEqual({ ready: false, checks: { shutdown: 'draining' } });
  });
});
