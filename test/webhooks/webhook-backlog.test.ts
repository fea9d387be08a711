import type { TestDatabase } from '../support/test-database';
import { FakeStripe } from './support/fake-stripe';
import {
  countRows,
  createWebhookDatabase,
  deliver,
  dropQueueSchema,
  eventually,
  eventPayload,
  startInstance,
  type WebhookInstance,
} from './support/webhook-harness';

describe('webhook inbox: a backlog', () => {
  let db: TestDatabase;
  let sut: WebhookInstance | undefined;

  beforeAll(async () => {
    db = await createWebhookDatabase();
  });
  afterAll(async () => {
    await sut?.close();
    await dropQueueSchema(db);
    await db.drop();
  });

  it('is worked off batch after batch without waiting for the polling interval between full batches', async () => {
    // NOTE: one poll a minute, batches of 2: claiming again at once after a batch finishes the 20
    // events in seconds; waiting for the next poll after each batch would take about 10 minutes.
    sut = await startInstance(db, new FakeStripe(), { batchSize: 2, pollingIntervalSeconds: 60 });
    for (let i = 0; i < 20; i += 1) {
      const { body } = eventPayload('customer.created', { id: `cus_backlog_${i}`, object: 'customer' });
      expect((await deliver(sut.app, body)).status).toBe(200);
    }
    // Stored while no worker ran: each row is its own job, due from the moment it was stored.
    await sut.webhooks.startWorker();

    const finished = () =>
      countRows(db.dataSource, `SELECT count(*) AS n FROM webhook_events WHERE status IN ('processed', 'ignored')`);
    await eventually(async () => (await finished()) === 20, 30000, 'all 20 events to be finished');
    expect(await countRows(db.dataSource, 'SELECT count(*) AS n FROM webhook_events WHERE attempts = 1')).toBe(20);
  });
});
