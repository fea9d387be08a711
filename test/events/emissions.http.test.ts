import request from 'supertest';
import { OUTBOUND_EVENT_DATA } from '../../src/events/outbound-event-schemas';
import type { OutboundEventType } from '../../src/events/outbound-event-types';
import { createTestApp, type TestApp } from '../support/test-app';
import { adminAuth } from '../support/tokens';
import {
  createAccount as createOfferAccount,
  postEvent,
  promptsOf,
  reportUsage,
  SimulatedClock,
  DAY,
} from '../offers/support/http-fixtures';
import {
  createAccount,
  daysAgo,
  daysAhead,
  mirrorSubscription,
  postUsage,
  usageEvent,
} from '../usage/support/usage-fixtures';

/** Usage, prompt and experiment events, emitted in the transaction of their state change. */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const eventsOf = async (accountId: string | null): Promise<Array<{ type: string; data: Record<string, unknown> }>> =>
  t.db.dataSource.query(
    `SELECT type, data FROM outbound_events WHERE account_id IS NOT DISTINCT FROM $1 ORDER BY seq`,
    [accountId],
  );

it('usage.threshold_crossed once per threshold and period', async () => {
  await createAccount(t, 'acct_usage', daysAgo(60));
  await mirrorSubscription(t, {
    accountId: 'acct_usage',
    planCode: 'pro',
    anchor: daysAgo(40),
    periodStart: daysAgo(10),
    periodEnd: daysAhead(20),
  });
  await postUsage(t, { events: [usageEvent('acct_usage', { quantity: 30000 })] }).expect(200);
  await postUsage(t, { events: [usageEvent('acct_usage', { quantity: 1000 })] }).expect(200);
  const crossed = (await eventsOf('acct_usage')).filter((e) => e.type === 'usage.threshold_crossed');
  expect(crossed).toHaveLength(1);
  expect(crossed[0]!.data).toMatchObject({ threshold_percent: 50, used: 30000, limit: 50000 });
});

it('prompt.shown, prompt.clicked and prompt.dismissed', async () => {
  const start = new Date('2026-05-04T10:00:00Z');
  new SimulatedClock(t, start);
  await createOfferAccount(t, 'acct_prompt', { signedUpAt: new Date(start.getTime() - 60 * DAY) });
  await reportUsage(t, 'acct_prompt', 'projects', 3);
  const [prompt] = await promptsOf(t, 'acct_prompt');
  expect(prompt?.id).toBeDefined();
  expect((await postEvent(t, 'acct_prompt', prompt!.id, { type: 'click' })).status).toBeLessThan(300);
  expect((await postEvent(t, 'acct_prompt', prompt!.id, { type: 'dismiss' })).status).toBeLessThan(300);
  const events = (await eventsOf('acct_prompt')).filter((e) => e.type.startsWith('prompt.'));
  expect(events.map((e) => e.type)).toEqual(['prompt.shown', 'prompt.clicked', 'prompt.dismissed']);
  expect(events[0]!.data).toMatchObject({
    prompt_id: prompt!.id,
    offer: expect.objectContaining({ currency: expect.any(String) }),
  });
});

it('experiment.concluded when an experiment stops', async () => {
  const admin = (path: string, body?: object) => request(t.app).post(path).set('Authorization', adminAuth).send(body);
  await request(t.app)
    .post('/admin/v1/experiments')
    .set('Authorization', adminAuth)
    .send({
      key: 'events_test',
      hypothesis: 'Premium earns more than Pro.',
      rule_id: 'welcome_pro_after_two_weeks',
      variants: [
        { key: 'a', weight: 50 },
        { key: 'b', weight: 50, overrides: { offer: { type: 'plan', plan: 'premium' } } },
      ],
      primary_metric: { type: 'conversion', window_days: 14 },
      planned_sample_size: 10,
    })
    .expect(201);
  expect((await admin('/admin/v1/experiments/events_test/start')).status).toBe(200);
  expect((await eventsOf(null)).filter((e) => e.type === 'experiment.concluded')).toHaveLength(0);
  expect((await admin('/admin/v1/experiments/events_test/stop')).status).toBe(200);
  const concluded = (await eventsOf(null)).filter((e) => e.type === 'experiment.concluded');
  expect(concluded).toHaveLength(1);
  expect(concluded[0]!.data).toMatchObject({ experiment_key: 'events_test', rule_id: 'welcome_pro_after_two_weeks' });
});

it('change.requires_action and change.failed as an operation moves on, each once', async () => {
  await createAccount(t, 'acct_change', daysAgo(5));
  const move = (state: string) =>
    t.db.dataSource.query(`UPDATE billing_operations SET state = $1, updated_at = now() WHERE id = 'op_events'`, [
      state,
    ]);
  await t.db.dataSource.query(
    `INSERT INTO billing_operations (id, account_id, kind, state, stripe_idempotency_key, stripe_params)
     VALUES ('op_events', 'acct_change', 'update', 'claimed', 'k_events', '{}')`,
  );
  await move('sent');
  await move('awaiting_customer');
  await move('failed');
  await move('failed');
  const events = (await eventsOf('acct_change')).filter((e) => e.type.startsWith('change.'));
  expect(events.map((e) => e.type)).toEqual(['change.requires_action', 'change.failed']);
  expect(events[0]!.data).toMatchObject({ change_id: 'op_events', kind: 'update' });
});

/** Every event the flows emitted matches its published payload schema. */
it('every event emitted above matches its published payload schema', async () => {
  const rows: Array<{ type: OutboundEventType; data: unknown }> = await t.db.dataSource.query(
    'SELECT type, data FROM outbound_events',
  );
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows)
    expect([row.type, OUTBOUND_EVENT_DATA[row.type].safeParse(row.data).error]).toEqual([row.type, undefined]);
});
