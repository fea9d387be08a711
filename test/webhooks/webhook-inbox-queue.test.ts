import { pgPoolOf } from '../../src/usage/pg-pool';
import { webhookInboxQueue } from '../../src/webhooks/webhook-inbox-queue';
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

/** The inbox row is the job: workers claim due rows straight from `webhook_events`. */
describe('webhook inbox as the queue', () => {
  let db: TestDatabase;
  const stripe = new FakeStripe();
  const instances: WebhookInstance[] = [];
  const start = async (settings: Parameters<typeof startInstance>[2] = {}) => {
    const instance = await startInstance(db, stripe, settings);
    instances.push(instance);
    return instance;
  };
  const row = async (id: string) =>
    (
      (await db.dataSource.query(
        `SELECT status, attempts, extract(epoch FROM next_attempt_at - updated_at)::float AS wait_seconds
           FROM webhook_events WHERE id = $1`,
        [id],
      )) as Array<{ status: string; attempts: number; wait_seconds: number }>
    )[0];
  const subscriptionEvent = async (name: string) => {
    await insertAccount(db.dataSource, `acct_${name}`, `cus_${name}`);
    stripe.subscriptions.set(`sub_${name}`, subscriptionObject({ id: `sub_${name}`, customer: `cus_${name}` }));
    return eventPayload('customer.subscription.updated', { id: `sub_${name}`, object: 'subscription' });
  };

  beforeAll(async () => {
    db = await createWebhookDatabase();
  });
  afterEach(async () => {
    for (const instance of instances.splice(0)) await instance.close();
  });
  afterAll(async () => {
    await dropQueueSchema(db);
    await db.drop();
  });

  it('never hands one event to two concurrent claimers', async () => {
    const sut = await start();
    for (let i = 0; i < 200; i += 1) {
      const { body } = eventPayload('customer.created', { id: `cus_claim_${i}`, object: 'customer' });
      expect((await deliver(sut.app, body)).status).toBe(200);
    }
    const pool = pgPoolOf(db.dataSource);
    const claimed: string[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (;;) {
          const batch = await webhookInboxQueue.claimDue(pool, 7, 60);
          if (batch.length === 0) return;
          claimed.push(...batch.map((claim) => claim.id));
        }
      }),
    );
    expect(claimed).toHaveLength(200);
    expect(new Set(claimed).size).toBe(200);
    expect(await countRows(db.dataSource, "SELECT count(*) AS n FROM webhook_events WHERE status = 'processing'")).toBe(
      200,
    );
    await db.dataSource.query("UPDATE webhook_events SET status = 'ignored' WHERE status = 'processing'");
  });

  it('leaves a live lease alone and takes the event over once its worker has died and the lease ran out', async () => {
    const { id, body } = await subscriptionEvent('lease');
    const pool = pgPoolOf(db.dataSource);
    const dying = await start();
    expect((await deliver(dying.app, body)).status).toBe(200);
    // A worker claims it for 2 seconds and dies without finishing.
    expect((await webhookInboxQueue.claimDue(pool, 10, 2)).map((claim) => claim.id)).toEqual([id]);
    await dying.close();
    expect(await webhookInboxQueue.claimDue(pool, 10, 60)).toEqual([]);

    const survivor = await start();
    await survivor.webhooks.startWorker();
    await eventually(async () => (await row(id))?.status === 'processed', 20000, 'the event to be taken over');
    expect(await row(id)).toMatchObject({ status: 'processed', attempts: 2 });
    expect(survivor.effects.filter((effect) => effect.eventId === id)).toHaveLength(1);
  });

  it('backs off exponentially after each failure and dead-letters the event after the retry limit', async () => {
    const { id, body } = await subscriptionEvent('failing');
    stripe.failing.add('sub_failing');
    // A first back-off of 30 s: the worker never retries on its own during the test; the test makes
    // the event due (as the passing time would) and checks each wait the worker chose.
    const sut = await start({ maxAttempts: 3, retryDelaySeconds: 30 });
    await sut.webhooks.startWorker();
    expect((await deliver(sut.app, body)).status).toBe(200);

    const waits: number[] = [];
    for (const attempt of [1, 2]) {
      await eventually(async () => (await row(id))?.attempts === attempt && (await row(id))?.status === 'failed');
      waits.push((await row(id))?.wait_seconds ?? NaN);
      await db.dataSource.query('UPDATE webhook_events SET next_attempt_at = now() WHERE id = $1', [id]);
    }
    await eventually(async () => (await row(id))?.status === 'dead', 20000, 'the event to be dead');

    // 30 s then 60 s, each ±20%.
    expect(waits[0]).toBeGreaterThanOrEqual(24);
    expect(waits[0]).toBeLessThanOrEqual(36);
    expect(waits[1]).toBeGreaterThanOrEqual(48);
    expect(waits[1]).toBeLessThanOrEqual(72);
    // Dead is final: due or not, no worker claims it again.
    await db.dataSource.query('UPDATE webhook_events SET next_attempt_at = now() WHERE id = $1', [id]);
    expect(await webhookInboxQueue.claimDue(pgPoolOf(db.dataSource), 10, 60)).toEqual([]);
    expect(await row(id)).toMatchObject({ status: 'dead', attempts: 3 });
    stripe.failing.delete('sub_failing');
  });

  it('processes every event of a burst accepted while processing was paused, once, after it resumes', async () => {
    const sut = await start({ batchSize: 10 });
    await sut.webhooks.startWorker();
    await sut.webhooks.pauseProcessing();
    const events = Array.from({ length: 150 }, (_, i) =>
      eventPayload('customer.created', { id: `cus_burst_${i}`, object: 'customer' }),
    );
    for (let i = 0; i < events.length; i += 50) {
      const answers = await Promise.all(events.slice(i, i + 50).map((event) => deliver(sut.app, event.body)));
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
    }
    const ids = events.map((event) => event.id);
    const waiting = () =>
      countRows(db.dataSource, "SELECT count(*) AS n FROM webhook_events WHERE id = ANY($1) AND status = 'received'", [
        ids,
      ]);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // two poll intervals: nothing may be taken
    expect(await waiting()).toBe(150);

    await sut.webhooks.resumeProcessing();
    // NOTE: not only no longer 'received': the last batch claimed is 'processing' until its handlers finish.
    const unfinished = () =>
      countRows(
        db.dataSource,
        "SELECT count(*) AS n FROM webhook_events WHERE id = ANY($1) AND status IN ('received', 'processing')",
        [ids],
      );
    await eventually(async () => (await unfinished()) === 0, 30000, 'the burst to be processed');
    expect(
      await countRows(
        db.dataSource,
        "SELECT count(*) AS n FROM webhook_events WHERE id = ANY($1) AND status = 'ignored' AND attempts = 1",
        [ids],
      ),
    ).toBe(150);
  });
});
