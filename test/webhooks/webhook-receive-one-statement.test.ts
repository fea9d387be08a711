import { stripeWebhookReceiver } from '../../src/webhooks/receive-stripe-webhook';
import type { JobDatabase } from '../../src/webhooks/webhook-queue';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { eventPayload, signature, WEBHOOK_SECRET } from './support/webhook-harness';

/**
 * Accepting a Stripe delivery is one transaction: the inbox row and its queue job commit together,
 * so a delivery answered 200 is always both stored and queued, and one that fails stores nothing
 * (Stripe delivers it again: docs.stripe.com/webhooks, "Retry behavior": in live mode a delivery
 * that failed is retried for up to three days with exponential backoff).
 */
describe('POST /webhooks/stripe: the inbox row and its job in one transaction', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  const stored = async (id: string) =>
    Number((await db.dataSource.query('SELECT count(*) AS n FROM webhook_events WHERE id = $1', [id]))[0].n);
  const receiverWith = (enqueue: (eventId: string, jobs: JobDatabase) => Promise<void>, woken: string[] = []) =>
    stripeWebhookReceiver({
      dataSource: db.dataSource,
      webhookSecret: WEBHOOK_SECRET,
      enqueue,
      wake: () => woken.push('wake'),
    });

  it('queues the job on the insert’s own transaction, and wakes the worker after the commit', async () => {
    const { id, body } = eventPayload('customer.created', { id: 'cus_tx', object: 'customer' });
    const woken: string[] = [];
    let seenInside = -1;
    const receive = receiverWith(async (eventId, jobs) => {
      // The uncommitted row is visible here only on the same transaction.
      const { rows } = await jobs.executeSql('SELECT count(*)::int AS n FROM webhook_events WHERE id = $1', [eventId]);
      seenInside = (rows[0] as { n: number }).n;
      expect(woken).toEqual([]);
    }, woken);

    await expect(receive(Buffer.from(body), signature(body))).resolves.toEqual({ eventId: id, stored: true });

    expect(seenInside).toBe(1);
    expect(woken).toEqual(['wake']);
    expect(await stored(id)).toBe(1);
  });

  it('stores nothing when queueing fails, so the delivery fails and Stripe sends it again', async () => {
    const { id, body } = eventPayload('customer.created', { id: 'cus_queue_down', object: 'customer' });
    const woken: string[] = [];
    const failing = receiverWith(async (_eventId, jobs) => {
      await jobs.executeSql('SELECT 1 / 0', []);
    }, woken);

    await expect(failing(Buffer.from(body), signature(body))).rejects.toThrow(/division by zero/);
    expect(await stored(id)).toBe(0);
    expect(woken).toEqual([]);

    const queued: string[] = [];
    const working = receiverWith(async (eventId) => {
      queued.push(eventId);
    });
    await expect(working(Buffer.from(body), signature(body))).resolves.toEqual({ eventId: id, stored: true });
    expect(queued).toEqual([id]);
  });

  it('stores the event’s bytes as signed, and a repeat neither stores nor queues again', async () => {
    const { id, body } = eventPayload('customer.created', { id: 'cus_repeat', object: 'customer' });
    const queued: string[] = [];
    const receive = receiverWith(async (eventId) => {
      queued.push(eventId);
    });
    await receive(Buffer.from(body), signature(body));
    await expect(receive(Buffer.from(body), signature(body))).resolves.toEqual({ eventId: id, stored: false });
    expect(queued).toEqual([id]);
    const [row] = await db.dataSource.query('SELECT payload FROM webhook_events WHERE id = $1', [id]);
    expect(row.payload).toEqual(JSON.parse(body));
  });
});
