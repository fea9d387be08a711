import type { Pool } from 'pg';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { buildRateLimits } from '../../src/shared/http/rate-limit';

/**
 * While PostgreSQL does not answer, each instance counts in memory (rate-limiter-flexible's
 * insurance limiter): the limit still holds, and nothing fails open or closed by surprise.
 */
describe('rate limits without the database', () => {
  const down = { query: () => Promise.reject(new Error('connection refused')) } as unknown as Pool;
  const limits = buildRateLimits(
    { enabled: true, windowSeconds: 3600, ip: 2, account: 3, key: 3, moneyAccount: 2, moneyKey: 2 },
    () => down,
  );

  it('counts in memory and refuses past the limit', async () => {
    for (let i = 0; i < 3; i += 1) {
      const result = await limits.buckets.account.consume('acct_1');
      expect(result.remainingPoints).toBe(2 - i);
    }
    const refused = await limits.buckets.account.consume('acct_1').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimiterRes);
    expect((refused as RateLimiterRes).msBeforeNext).toBeGreaterThan(0);
  });

  it('keeps accounts apart in memory too', async () => {
    await expect(limits.buckets.account.consume('acct_2')).resolves.toMatchObject({ remainingPoints: 2 });
  });
});
