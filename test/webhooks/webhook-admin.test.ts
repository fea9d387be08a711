import supertest from 'supertest';
import { adminAuth, serverAuth } from '../support/tokens';
import type { TestDatabase } from '../support/test-database';
import { FakeStripe, subscriptionObject } from './support/fake-stripe';
import {
  countRows,
  createWebhookDatabase,
  deliver,
  dropQueueSchema,
  eventually,
  eventPayload,
  insertAccount,
  startInstance,
  type WebhookInstance,
} from './support/webhook-harness';

describe('webhook processing outcomes and the operator API', () => {
  let db: TestDatabase;
  let sut: WebhookInstance;
  const stripe = new FakeStripe();
  const eventRow = async (id: string) =>
    (
      (await db.dataSource.query('SELECT status, attempts, last_error, outcome FROM webhook_events WHERE id = $1', [
        id,
      ])) as Array<{ status: string; attempts: number; last_error: string | null; outcome: string | null }>
    )[0];
  const effectsOf = (id: string) =>
    countRows(db.dataSource, 'SELECT count(*) AS n FROM webhook_effects WHERE event_id = $1', [id]);

  beforeAll(async () => {
    db = await createWebhookDatabase();
    sut = await startInstance(db, stripe);
    await sut.webhooks.startWorker();
    await insertAccount(db.dataSource, 'acct_ops', 'cus_ops');
  });
  afterAll(async () => {
    await sut.close();
    await dropQueueSchema(db);
    await db.drop();
  });

  it('marks an event of an unhandled type ignored, and one for an unknown customer ignored with the reason', async () => {
    const other = eventPayload('customer.created', { id: 'cus_other', object: 'customer' });
    stripe.subscriptions.set('sub_stranger', subscriptionObject({ id: 'sub_stranger', customer: 'cus_stranger' }));
    const stranger = eventPayload('customer.subscription.created', { id: 'sub_stranger', object: 'subscription' });
    await deliver(sut.app, other.body);
    await deliver(sut.app, stranger.body);
    await eventually(async () => (await eventRow(stranger.id))?.status === 'ignored', 30000, 'ignored');
    await eventually(async () => (await eventRow(other.id))?.status === 'ignored', 30000, 'ignored');
    expect((await eventRow(stranger.id))?.outcome).toMatch(/unknown customer cus_stranger/);
    expect(await effectsOf(stranger.id)).toBe(0);
  });

  it('retries a failing event with backoff, then leaves it dead; a replay after the fix processes it once', async () => {
    stripe.subscriptions.set('sub_flaky', subscriptionObject({ id: 'sub_flaky', customer: 'cus_ops' }));
    stripe.failing.add('sub_flaky');
    const { id, body } = eventPayload('customer.subscription.updated', { id: 'sub_flaky', object: 'subscription' });
    await deliver(sut.app, body);
    await eventually(async () => (await eventRow(id))?.status === 'dead', 60000, 'the event to be dead');
    expect(await eventRow(id)).toMatchObject({ attempts: 3, last_error: 'Stripe is unavailable for sub_flaky' });

    const dead = await supertest(sut.app).get('/admin/v1/webhook-events?status=dead').set('Authorization', adminAuth);
    expect(dead.status).toBe(200);
    expect(dead.body.data.map((e: { id: string }) => e.id)).toEqual([id]);

    stripe.failing.delete('sub_flaky');
    const replay = await supertest(sut.app)
      .post(`/admin/v1/webhook-events/${id}/replay`)
      .set('Authorization', adminAuth);
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ id, status: 'processed' });
    expect(await effectsOf(id)).toBe(1);
  }, 90000);

  it('replays a processed event from Stripe’s current object without repeating its effect', async () => {
    stripe.subscriptions.set(
      'sub_replay',
      subscriptionObject({ id: 'sub_replay', customer: 'cus_ops', status: 'canceled' }),
    );
    const { id, body } = eventPayload('customer.subscription.deleted', { id: 'sub_replay', object: 'subscription' });
    await deliver(sut.app, body);
    await eventually(async () => (await eventRow(id))?.status === 'processed', 30000, 'processed');
    stripe.subscriptions.set(
      'sub_replay',
      subscriptionObject({ id: 'sub_replay', customer: 'cus_ops', status: 'canceled', cancelAtPeriodEnd: true }),
    );
    const replay = await supertest(sut.app)
      .post(`/admin/v1/webhook-events/${id}/replay`)
      .set('Authorization', adminAuth);
    expect(replay.body).toMatchObject({ status: 'processed', outcome: 'changed cancelAtPeriodEnd' });
    expect(await effectsOf(id)).toBe(1);
    expect(sut.effects.filter((e) => e.eventId === id)).toHaveLength(1);
  });

  it('answers 404 in the error shape for replaying an unknown event, and refuses non-operators', async () => {
    const unknown = await supertest(sut.app)
      .get('/admin/v1/webhook-events/evt_missing')
      .set('Authorization', adminAuth);
    expect(unknown.status).toBe(404);
    const missing = await supertest(sut.app)
      .post('/admin/v1/webhook-events/evt_missing/replay')
      .set('Authorization', adminAuth);
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ type: 'not_found', code: 'resource_missing' });
    const server = await supertest(sut.app).get('/admin/v1/webhook-events').set('Authorization', serverAuth);
    expect(server.status).toBe(403);
    expect((await supertest(sut.app).get('/admin/v1/webhook-events')).status).toBe(401);
  });

  it('lists events newest first, page by page, filtered by status', async () => {
    const all = await supertest(sut.app).get('/admin/v1/webhook-events?limit=100').set('Authorization', adminAuth);
    const ids = all.body.data.map((e: { id: string }) => e.id);
    expect(ids.length).toBeGreaterThanOrEqual(4);
    const received = all.body.data.map((e: { received_at: string }) => e.received_at);
    expect([...received].sort().reverse()).toEqual(received);

    const first = await supertest(sut.app).get('/admin/v1/webhook-events?limit=2').set('Authorization', adminAuth);
    expect(first.body).toMatchObject({ object: 'list', has_more: true });
    const next = await supertest(sut.app)
      .get(`/admin/v1/webhook-events?limit=2&starting_after=${first.body.data[1].id}`)
      .set('Authorization', adminAuth);
    expect([...first.body.data, ...next.body.data].map((e: { id: string }) => e.id)).toEqual(ids.slice(0, 4));

    const one = await supertest(sut.app).get(`/admin/v1/webhook-events/${ids[0]}`).set('Authorization', adminAuth);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: ids[0], payload: { id: ids[0], object: 'event' } });
    expect(all.body.data[0].payload).toBeUndefined();

    const ignored = await supertest(sut.app)
      .get('/admin/v1/webhook-events?status=ignored')
      .set('Authorization', adminAuth);
    expect(ignored.body.data.every((e: { status: string }) => e.status === 'ignored')).toBe(true);
    expect(ignored.body.data).toHaveLength(2);

    const bad = await supertest(sut.app).get('/admin/v1/webhook-events?status=nope').set('Authorization', adminAuth);
    expect(bad.status).toBe(422);
  });

  it('exposes the inbox by status on /metrics', async () => {
    const metrics = await supertest(sut.app).get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('tierlift_webhook_events{status="ignored"} 2');
    expect(metrics.text).toContain('tierlift_webhook_events{status="dead"} 0');
    expect(metrics.text).toMatch(/tierlift_webhook_events\{status="processed"\} [1-9]/);
  });

  it('reconciles on request: repairs a drifted mirror, then a second run changes nothing', async () => {
    await db.dataSource.query(
      "UPDATE subscriptions SET status = 'past_due', plan_code = 'free' WHERE id = 'sub_flaky'",
    );
    const first = await supertest(sut.app).post('/admin/v1/reconciliations').set('Authorization', adminAuth);
    expect(first.status).toBe(201);
    expect(first.body.changes).toEqual([
      { subscription_id: 'sub_flaky', account_id: 'acct_ops', fields: ['status', 'planCode'] },
    ]);
    const second = await supertest(sut.app).post('/admin/v1/reconciliations').set('Authorization', adminAuth);
    expect(second.body).toMatchObject({ changed: 0, changes: [], errors: [] });
    expect(second.body.checked).toBe(first.body.checked);

    const runs = await supertest(sut.app).get('/admin/v1/reconciliations?limit=1').set('Authorization', adminAuth);
    expect(runs.status).toBe(200);
    expect(runs.body).toMatchObject({ object: 'list', has_more: true, data: [{ id: second.body.id, changed: 0 }] });
    const older = await supertest(sut.app)
      .get(`/admin/v1/reconciliations?starting_after=${second.body.id}`)
      .set('Authorization', adminAuth);
    expect(older.body.data.map((run: { id: string }) => run.id)).toEqual([first.body.id]);
    expect(older.body.data[0]).toMatchObject({
      trigger: 'manual',
      changed: 1,
      report: { changes: first.body.changes },
    });
  });
});
