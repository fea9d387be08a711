import { createTestApp, type TestApp } from '../support/test-app';
import {
  counterTotal,
  createAccount,
  eventCount,
  postUsage,
  usageEvent,
  type UsageEventBody,
} from './support/usage-fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  for (const id of ['acct_c1', 'acct_c2', 'acct_c3', 'acct_c4']) await createAccount(t, id);
});
afterAll(() => t.close());

/** 10,000 deliveries: 9,000 unique events plus 1,000 repeats of some of them, shuffled. */
function deliveries(): { events: UsageEventBody[]; expected: Map<string, number> } {
  const accounts = ['acct_c1', 'acct_c2', 'acct_c3', 'acct_c4'];
  const unique: UsageEventBody[] = [];
  for (let i = 0; i < 9000; i += 1) {
    const account = accounts[i % accounts.length] as string;
    unique.push(
      usageEvent(account, { id: `load_${i}`, quantity: 1 + (i % 7), feature: i % 3 === 0 ? 'exports' : 'api_calls' }),
    );
  }
  const repeats = Array.from({ length: 1000 }, (_, i) => ({ ...(unique[(i * 37) % unique.length] as UsageEventBody) }));
  const events = [...unique, ...repeats];
  for (let i = events.length - 1; i > 0; i -= 1) {
    const j = (i * 7919) % (i + 1);
    [events[i], events[j]] = [events[j] as UsageEventBody, events[i] as UsageEventBody];
  }
  const expected = new Map<string, number>();
  for (const e of unique)
    expected.set(`${e.account_id}/${e.feature}`, (expected.get(`${e.account_id}/${e.feature}`) ?? 0) + e.quantity);
  return { events, expected };
}

async function sendConcurrently(events: UsageEventBody[], senders: number, batchSize: number) {
  const batches: UsageEventBody[][] = [];
  for (let i = 0; i < events.length; i += batchSize) batches.push(events.slice(i, i + batchSize));
  let accepted = 0;
  let duplicates = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: senders }, async () => {
      while (next < batches.length) {
        const batch = batches[next++] as UsageEventBody[];
        const res = await postUsage(t, { events: batch });
        expect(res.status).toBe(200);
        expect(res.body.rejected).toEqual([]);
        accepted += res.body.accepted;
        duplicates += res.body.duplicates;
      }
    }),
  );
  return { accepted, duplicates };
}

describe('POST /v1/usage under concurrent, repeated delivery', () => {
  it('counts each of 10,000 deliveries with 10% duplicate ids exactly once, from eight senders, twice over', async () => {
    const { events, expected } = deliveries();
    const first = await sendConcurrently(events, 8, 250);
    expect(first).toEqual({ accepted: 9000, duplicates: 1000 });
    const again = await sendConcurrently([...events].reverse(), 8, 250);
    expect(again).toEqual({ accepted: 0, duplicates: 10000 });

    expect(await eventCount(t)).toBe(9000);
    for (const [key, total] of expected) {
      const [account, feature] = key.split('/') as [string, string];
      expect(await counterTotal(t, account, feature)).toBe(total);
    }
    const stored = await t.db.dataSource.query('SELECT COALESCE(sum(quantity), 0)::bigint AS q FROM usage_events');
    const sum = [...expected.values()].reduce((a, b) => a + b, 0);
    expect(Number(stored[0].q)).toBe(sum);
    const counters = await t.db.dataSource.query('SELECT COALESCE(sum(used), 0)::bigint AS q FROM usage_counters');
    expect(Number(counters[0].q)).toBe(sum);
  });

  it('counts an id repeated inside one batch once, and scopes ids per account', async () => {
    await createAccount(t, 'acct_scope_a');
    await createAccount(t, 'acct_scope_b');
    const a = usageEvent('acct_scope_a', { id: 'same_id', quantity: 5 });
    const b = usageEvent('acct_scope_b', { id: 'same_id', quantity: 7 });
    const res = await postUsage(t, { events: [a, { ...a, quantity: 99 }, b] });
    expect(res.body).toMatchObject({ accepted: 2, duplicates: 1, rejected: [] });
    expect(await counterTotal(t, 'acct_scope_a', 'api_calls')).toBe(5);
    expect(await counterTotal(t, 'acct_scope_b', 'api_calls')).toBe(7);
  });
});
