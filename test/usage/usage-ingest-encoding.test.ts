import { ArrayLiteral } from '../../src/shared/database/pg-array-literal';
import { createTestApp, type TestApp } from '../support/test-app';
import { counterTotal, createAccount, postUsage, usageEvent } from './support/usage-fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await createAccount(t, 'acct_enc1');
});
afterAll(() => t.close());

/** Ids that mean something inside a PostgreSQL array literal; all are visible ASCII, so all are valid. */
const AWKWARD_IDS = ['evt_"quoted"', 'evt_back\\slash', 'evt_\\"both', 'evt_{a,b}', 'NULL', 'evt_,', "evt_'"];

describe('ArrayLiteral', () => {
  it('quotes text elements and escapes only quotes and backslashes', () => {
    const sut = new ArrayLiteral();
    for (const id of ['a', 'b"c', 'd\\e', '']) sut.addText(id);
    expect(String(sut)).toBe('{"a","b\\"c","d\\\\e",""}');
  });

  it('writes integers bare and an empty array as {}', () => {
    const sut = new ArrayLiteral();
    expect(String(sut)).toBe('{}');
    for (const n of [0, 7, 1_000_000_000_000]) sut.addInteger(n);
    expect(String(sut)).toBe('{0,7,1000000000000}');
  });
});

describe('POST /v1/usage with ids that array literals must escape', () => {
  it('stores each id byte for byte and counts it once when the batch comes again', async () => {
    const events = AWKWARD_IDS.map((id) => usageEvent('acct_enc1', { id }));
    const first = await postUsage(t, { events });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ accepted: AWKWARD_IDS.length, duplicates: 0, rejected: [] });

    const again = await postUsage(t, { events });
    expect(again.body).toMatchObject({ accepted: 0, duplicates: AWKWARD_IDS.length });

    const rows = (await t.db.dataSource.query(
      `SELECT event_id FROM usage_events WHERE account_id = 'acct_enc1' ORDER BY event_id`,
    )) as Array<{ event_id: string }>;
    expect(rows.map((r) => r.event_id)).toEqual([...AWKWARD_IDS].sort());
    expect(await counterTotal(t, 'acct_enc1', 'api_calls')).toBe(AWKWARD_IDS.length);
  });
});
