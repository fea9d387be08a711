import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app';
import { adminAuth, bearer, userToken } from '../support/tokens';
import { counterTotal, createAccount, daysAgo, eventCount, postUsage, usageEvent } from './support/usage-fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await createAccount(t, 'acct_bad');
});
afterAll(() => t.close());

describe('POST /v1/usage refuses bad requests whole', () => {
  it('answers 413 for more than 1,000 events and stores none of them', async () => {
    const events = Array.from({ length: 1001 }, () => usageEvent('acct_bad'));
    const res = await postUsage(t, { events });
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code: 'too_many_events', param: 'events' });
    expect(await eventCount(t, 'acct_bad')).toBe(0);
  });

  it('accepts exactly 1,000 events', async () => {
    await createAccount(t, 'acct_full');
    const res = await postUsage(t, { events: Array.from({ length: 1000 }, () => usageEvent('acct_full')) });
    expect(res.body).toMatchObject({ accepted: 1000, duplicates: 0, rejected: [] });
  });

  it('answers 413 for a body over 1 MB and stores nothing', async () => {
    const events = Array.from({ length: 500 }, () => usageEvent('acct_bad', { id: `big_${'x'.repeat(100)}` }));
    const body = JSON.stringify({ events, padding: 'p'.repeat(1_100_000) });
    const res = await postUsage(t, body);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('body_too_large');
    expect(await eventCount(t, 'acct_bad')).toBe(0);
  });

  const envelopes: Array<[string, unknown, string]> = [
    ['no events field', {}, 'events'],
    ['an empty list', { events: [] }, 'events'],
    ['events that are not a list', { events: 'many' }, 'events'],
    ['an unknown envelope field', { events: [usageEventFor()], extra: 1 }, 'extra'],
  ];
  function usageEventFor() {
    return usageEvent('acct_bad');
  }
  it.each(envelopes)('answers 422 for %s and stores nothing', async (_what, body, param) => {
    const res = await postUsage(t, body);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', param });
    expect(await eventCount(t, 'acct_bad')).toBe(0);
  });

  it('answers 400 for malformed JSON', async () => {
    const res = await postUsage(t, '{"events": [');
    expect(res.status).toBe(400);
  });

  it('answers 400 for a NUL character in any event, beside well-formed ones, and stores none', async () => {
    const events = [usageEvent('acct_bad'), usageEvent('acct_bad', { id: 'nul\u0000id' }), usageEvent('acct_bad')];
    const res = await postUsage(t, { events });
    expect(res.status).toBe(400);
    expect(await eventCount(t, 'acct_bad')).toBe(0);
  });
});

describe('POST /v1/usage rejects bad items one by one', () => {
  it('rejects each bad item with its index, code and param, and accepts the rest', async () => {
    const good = usageEvent('acct_bad', { quantity: 4 });
    const items: Array<[unknown, string, string]> = [
      [{ ...usageEvent('acct_bad'), quantity: '3' }, 'validation_failed', 'quantity'],
      [{ ...usageEvent('acct_bad'), quantity: 1.5 }, 'validation_failed', 'quantity'],
      [usageEvent('acct_bad', { quantity: -2 }), 'negative_quantity', 'quantity'],
      [usageEvent('acct_bad', { quantity: 10 ** 15 }), 'quantity_too_large', 'quantity'],
      [usageEvent('acct_nobody'), 'account_not_found', 'account_id'],
      [usageEvent('acct_bad', { feature: 'teleports' }), 'feature_not_found', 'feature'],
      [usageEvent('acct_bad', { feature: 'sso' }), 'feature_not_metered', 'feature'],
      [
        usageEvent('acct_bad', { timestamp: new Date(Date.now() + 3600_000).toISOString() }),
        'timestamp_in_future',
        'timestamp',
      ],
      [usageEvent('acct_bad', { timestamp: daysAgo(500).toISOString() }), 'timestamp_too_old', 'timestamp'],
      [usageEvent('acct_bad', { timestamp: 'yesterday' }), 'validation_failed', 'timestamp'],
      [{ ...usageEvent('acct_bad'), action: 'decrement' }, 'validation_failed', 'action'],
      [{ ...usageEvent('acct_bad'), colour: 'red' }, 'validation_failed', 'colour'],
      [{ ...usageEvent('acct_bad'), id: undefined }, 'validation_failed', 'id'],
      ['not an object', 'validation_failed', ''],
    ];
    const res = await postUsage(t, { events: [good, ...items.map(([item]) => item)] });
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(1);
    expect(res.body.duplicates).toBe(0);
    expect(res.body.rejected).toHaveLength(items.length);
    items.forEach(([, code, field], i) => {
      const rejection = res.body.rejected[i];
      expect(rejection.index).toBe(i + 1);
      expect(rejection.error).toMatchObject({
        type: 'invalid_request_error',
        code,
        param: field ? `events[${i + 1}].${field}` : `events[${i + 1}]`,
      });
      expect(typeof rejection.error.message).toBe('string');
    });
    expect(await eventCount(t, 'acct_bad')).toBe(1);
    expect(await counterTotal(t, 'acct_bad', 'api_calls')).toBe(4);
  });

  it('stores a corrected event whose earlier version was rejected', async () => {
    const bad = usageEvent('acct_bad', { quantity: -1 });
    expect((await postUsage(t, { events: [bad] })).body.rejected).toHaveLength(1);
    expect((await postUsage(t, { events: [{ ...bad, quantity: 1 }] })).body.accepted).toBe(1);
  });
});

describe('POST /v1/usage credentials', () => {
  it('refuses an end-user token and the admin key with 403, and no credential with 401, storing nothing', async () => {
    const body = { events: [usageEvent('acct_bad', { id: 'cred_test' })] };
    const user = await request(t.app)
      .post('/v1/usage')
      .set('Authorization', bearer(userToken('acct_bad', 'owner')))
      .send(body);
    expect(user.status).toBe(403);
    expect(user.body.error.type).toBe('permission_error');
    expect((await request(t.app).post('/v1/usage').set('Authorization', adminAuth).send(body)).status).toBe(403);
    expect((await request(t.app).post('/v1/usage').send(body)).status).toBe(401);
    const stored = await t.db.dataSource.query("SELECT 1 FROM usage_events WHERE event_id = 'cred_test'");
    expect(stored).toHaveLength(0);
  });
});
