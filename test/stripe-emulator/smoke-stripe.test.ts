import { runSmoke, smokeTarget } from './smoke/smoke-stripe';

describe('npm run smoke:stripe', () => {
  it('refuses a live-mode key before sending anything', () => {
    expect(() => smokeTarget('sk_live_abc')).toThrow(/live-mode key/);
    expect(() => smokeTarget('rk_live_abc')).toThrow(/live-mode key/);
    expect(() => smokeTarget('pk_test_abc')).toThrow(/test-mode secret key/);
    expect(smokeTarget('sk_test_abc')).toEqual({ kind: 'stripe', secretKey: 'sk_test_abc' });
  });

  it('without a key runs the key journeys on the emulator: quote = charge and mirror = Stripe throughout', async () => {
    const result = await runSmoke(undefined);
    expect(result.target).toBe('emulator');
    expect(result.failed).toEqual([]);
    const journeys = new Set(result.checks.map((check) => check.journey));
    expect([...journeys]).toEqual([
      'free → paid',
      'upgrade mid-period',
      'one-time add-on',
      'bundle',
      'downgrade on a discounted subscription',
      'refund',
    ]);
    expect(result.checks.filter((check) => check.check === 'quote = charge' && check.ok)).toHaveLength(4);
  }, 150_000);
});
