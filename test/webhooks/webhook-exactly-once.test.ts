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

describe('webhook inbox: exactly once', () => {
  let db: TestDatabase;
  const stripe = new FakeStripe();
  const instances: WebhookInstance[] = [];
  const start = async (withWorker: boolean) => {
    const instance = await startInstance(db, stripe);
    instances.push(instance);
    if (withWorker) await instance.webhooks.startWorker();
    return instance;
  };
  const statusOf = async (id: string) =>
    (
      (await db.dataSource.query('SELECT status FROM webhook_events WHERE id = $1', [id])) as Array<{ status: string }>
    )[0]?.status;

  beforeAll(async () => {
    db = await createWebhookDatabase();
  });
  afterAll(async () => {
    for (const instance of instances) await instance.close();
    await dropQueueSchema(db);
    await db.drop();
  });

  it('stores one row and makes one effect for 50 concurrent and 50 sequential deliveries of one event', async () => {
    const sut = await start(true);
    await insertAccount(db.dataSource, 'acct_dup', 'cus_dup');
    stripe.subscriptions.set('sub_dup', subscriptionObject({ id: 'sub_dup', customer: 'cus_dup', plan: 'pro' }));
    const { id, body } = eventPayload('customer.subscription.created', { id: 'sub_dup', object: 'subscription' });

    const concurrent = await Promise.all(Array.from({ length: 50 }, () => deliver(sut.app, body)));
    const sequential = [];
    for (let i = 0; i < 50; i += 1) sequential.push(await deliver(sut.app, body));
    const responses = [...concurrent, ...sequential];

    expect(responses.map((r) => r.status)).toEqual(Array(100).fill(200));
    expect(responses.filter((r) => r.body.duplicate === false)).toHaveLength(1);
    await eventually(async () => (await statusOf(id)) === 'processed', 20000, 'the event to be processed');
    expect(await countRows(db.dataSource, 'SELECT count(*) AS n FROM webhook_events')).toBe(1);
    expect(await countRows(db.dataSource, 'SELECT count(*) AS n FROM webhook_effects WHERE event_id = $1', [id])).toBe(
      1,
    );
    expect(sut.effects.filter((e) => e.eventId === id)).toHaveLength(1);
    const mirror: Array<{ account_id: string; plan_code: string; status: string }> = await db.dataSource.query(
      'SELECT account_id, plan_code, status FROM subscriptions',
    );
    expect(mirror).toEqual([{ account_id: 'acct_dup', plan_code: 'pro', status: 'active' }]);
  });

  it('processes exactly once an event stored by a process that died before processing it', async () => {
    await insertAccount(db.dataSource, 'acct_crash', 'cus_crash');
    stripe.subscriptions.set(
      'sub_crash',
      subscriptionObject({ id: 'sub_crash', customer: 'cus_crash', plan: 'premium' }),
    );
    // The only other worker is paused, so nothing but the restarted instance can take the event.
    await instances[0]?.webhooks.pauseProcessing();
    const dying = await start(false);
    const { id, body } = eventPayload('customer.subscription.created', { id: 'sub_crash', object: 'subscription' });
    expect((await deliver(dying.app, body)).status).toBe(200);
    await dying.close(); // the "kill": the row is stored, no worker ever saw it
    expect(await statusOf(id)).toBe('received');

    const restarted = await start(true);
    await eventually(async () => (await statusOf(id)) === 'processed', 20000, 'the stored event to be processed');
    await new Promise((resolve) => setTimeout(resolve, 1500)); // let any duplicate job run
    expect(await countRows(db.dataSource, 'SELECT count(*) AS n FROM webhook_effects WHERE event_id = $1', [id])).toBe(
      1,
    );
    expect(restarted.effects.filter((e) => e.eventId === id)).toHaveLength(1);
    expect(await countRows(db.dataSource, "SELECT count(*) AS n FROM subscriptions WHERE id = 'sub_crash'")).toBe(1);
    await instances[0]?.webhooks.resumeProcessing();
  });

  it('takes over an event whose worker died mid-processing once its lease expires', async () => {
    await insertAccount(db.dataSource, 'acct_lease', 'cus_lease');
    stripe.subscriptions.set('sub_lease', subscriptionObject({ id: 'sub_lease', customer: 'cus_lease' }));
    const dying = await start(false);
    const { id, body } = eventPayload('customer.subscription.updated', { id: 'sub_lease', object: 'subscription' });
    await deliver(dying.app, body);
    // A worker claimed it and died: the claim's lease has run out (the row is due again at its end).
    await db.dataSource.query(
      `UPDATE webhook_events SET status = 'processing', attempts = 1, claim_token = gen_random_uuid(),
         locked_until = now() - interval '1 second', next_attempt_at = now() - interval '1 second' WHERE id = $1`,
      [id],
    );
    await dying.close();
    // A live worker, polling, takes it over by itself: no sweep re-queues it.
    await eventually(async () => (await statusOf(id)) === 'processed', 20000, 'the orphaned event to be processed');
    expect(
      await countRows(db.dataSource, 'SELECT count(*) AS n FROM webhook_events WHERE id = $1 AND attempts = 2', [id]),
    ).toBe(1);
    expect(await countRows(db.dataSource, 'SELECT count(*) AS n FROM webhook_effects WHERE event_id = $1', [id])).toBe(
      1,
    );
  });
});
