import type { Pool } from 'pg';
import { pgPoolOf } from '../../src/usage/pg-pool';
import { createTestApp, type TestApp } from '../support/test-app';
import { getPrompts, proAccountUsing, SimulatedClock } from './support/http-fixtures';

/**
 * First views arriving together: the context reads of accounts asked for while others are out go
 * to PostgreSQL in one read (offers/batched-reads.ts). Each account must still get exactly its
 * own prompts, as it does asked alone, and an unknown account its 404.
 */
const start = new Date();
const CALLS = [1_000, 42_500, 50_000, 47_000, 10_000, 60_000, 45_000, 20_000, 49_999, 41_000, 5_000, 55_000];
const ids = CALLS.map((_, i) => `acct_together_${i}`);

/** Counts the context reads sent through `pool` from now on. */
function countContextReads(pool: Pool): () => number {
  let reads = 0;
  const original = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const first = args[0] as { name?: string } | string;
    if (typeof first === 'object' && first.name?.startsWith('offer_context')) reads += 1;
    return original(...args);
  };
  return () => reads;
}

describe('GET /v1/prompts: first views arriving together', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ PROMPT_CACHE_SECONDS: '0' });
    new SimulatedClock(t, start);
    for (const [i, id] of ids.entries()) await proAccountUsing(t, id, start, CALLS[i]);
  });
  afterAll(() => t.close());

  it('answers each account with its own prompts, as when it is asked alone', async () => {
    // Asked alone first: each account's impressions of the day are recorded, so later answers are stable.
    const alone = new Map<string, unknown>();
    for (const id of ids) {
      const res = await getPrompts(t, id);
      expect(res.status).toBe(200);
      alone.set(id, res.body);
    }
    expect(new Set([...alone.values()].map((body) => JSON.stringify(body))).size).toBeGreaterThan(1);
    const reads = countContextReads(pgPoolOf(t.db.dataSource));
    const asked = [...ids, ...ids.slice(0, 4)].reverse();
    for (let round = 0; round < 2; round += 1) {
      const together = await Promise.all(asked.map((id) => getPrompts(t, id)));
      together.forEach((res, i) => {
        expect(res.status).toBe(200);
        expect([asked[i], res.body]).toEqual([asked[i], alone.get(asked[i] as string)]);
      });
    }
    // NOTE: at most 4 reads are out at once, so 16 requests at once share reads.
    expect(reads()).toBeLessThan(2 * asked.length);
  });

  it('answers an unknown account 404 while the accounts asked with it get their prompts', async () => {
    const together = await Promise.all([
      getPrompts(t, 'acct_nobody'),
      ...ids.slice(0, 6).map((id) => getPrompts(t, id)),
    ]);
    expect(together[0]?.status).toBe(404);
    for (const res of together.slice(1)) expect(res.status).toBe(200);
  });
});
