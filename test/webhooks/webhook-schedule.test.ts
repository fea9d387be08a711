import PgBoss from 'pg-boss';
import type { TestDatabase } from '../support/test-database';
import { FakeStripe, subscriptionObject } from './support/fake-stripe';
import {
  createWebhookDatabase,
  dropQueueSchema,
  eventually,
  insertAccount,
  startInstance,
  type WebhookInstance,
} from './support/webhook-harness';

describe('scheduled work on the job queue', () => {
  let db: TestDatabase;
  let sut: WebhookInstance;
  const stripe = new FakeStripe();

  beforeAll(async () => {
    db = await createWebhookDatabase();
    sut = await startInstance(db, stripe, { reconcileCron: '17 * * * *' });
    await sut.webhooks.startWorker();
  });
  afterAll(async () => {
    await sut.close();
    await dropQueueSchema(db);
    await db.drop();
  });

  it('schedules reconciliation hourly in pg-boss, and no inbox sweep (the inbox needs none)', async () => {
    const schedules: Array<{ name: string; cron: string }> = await db.dataSource.query(
      `SELECT name, cron FROM "pgboss_${db.schema}".schedule ORDER BY name`,
    );
    expect(schedules).toEqual([{ name: 'subscription-reconciliation', cron: '17 * * * *' }]);
  });

  it('runs a reconciliation when its scheduled job comes due', async () => {
    await insertAccount(db.dataSource, 'acct_sched', 'cus_sched');
    stripe.subscriptions.set('sub_sched', subscriptionObject({ id: 'sub_sched', customer: 'cus_sched' }));
    // What pg-boss's cron does at :17, done now by another client of the same queue.
    const cron = new PgBoss({ connectionString: db.url, schema: `pgboss_${db.schema}`, max: 1, schedule: false });
    cron.on('error', () => undefined);
    await cron.start();
    try {
      await cron.send('subscription-reconciliation', {});
    } finally {
      await cron.stop({ graceful: false, wait: true, close: true });
    }
    await eventually(
      async () =>
        ((await db.dataSource.query("SELECT 1 FROM reconciliation_runs WHERE trigger = 'schedule'")) as unknown[])
          .length === 1,
      20000,
      'a scheduled reconciliation run',
    );
    const mirror: Array<{ id: string }> = await db.dataSource.query('SELECT id FROM subscriptions');
    expect(mirror).toEqual([{ id: 'sub_sched' }]);
  });
});
