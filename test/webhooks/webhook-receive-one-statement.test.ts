import type { Pool } from 'pg';
import { pgPoolOf } from '../../src/usage/pg-pool';
import { stripeWebhookReceiver } from '../../src/webhooks/receive-stripe-webhook';
import { webhookInboxQueue } from '../../src/webhooks/webhook-inbox-queue';
import type { TestDatabase } from '../support/test-database';
import { FakeStripe } from './support/fake-stripe';
import {
  countRows,
  createWebhookDatabase,
  deliver,
  eventPayload,
  signature,
  startInstance,
  WEBHOOK_SECRET,
  type WebhookInstance,
} from './support/webhook-harness';

/**
 * Accepting a Stripe delivery is one autocommit statement: the inbox row is also the job, so a
 * delivery answered 200 is stored and queued at once, and one whose statement fails stores nothing
 * and answers 5xx (Stripe delivers it again: docs.stripe.com/webhooks, "Retry behavior": in live
 * mode a delivery that failed is retried for up to three days with exponential backoff).
 */
describe('POST /webhooks/stripe: one statement per delivery', () => {
  let db: TestDatabase;
  let sut: WebhookInstance;
  beforeAll(async () => {
    db = await createWebhookDatabase();
    sut = await startInstance(db, new FakeStripe());
  });
  afterAll(async () => {
    await sut.close();
    await db.drop();
  });

  const stored = (id: string) =>
    countRows(db.dataSource, 'SELECT count(*) AS n FROM webhook_events WHERE id = $1', [id]);

  /** The real pool, recording the text of every statement sent through it. */
  const recordingPool = (statements: string[]): Pool => {
    const pool = pgPoolOf(db.dataSource);
    return new Proxy(pool, {
      get(target, key) {
        if (key !== 'query') return Reflect.get(target, key, target) as unknown;
        return (config: { text: string }, values?: unknown[]) => {
          statements.push(typeof config === 'string' ? config : config.text);
          return target.query(config as never, values as never);
        };
      },
    });
  };

  it('stores a new event with one INSERT and no transaction around it, then wakes the worker', async () => {
    const statements: string[] = [];
    const woken: string[] = [];
    const pool = recordingPool(statements);
    const receive = stripeWebhookReceiver({
      webhookSecret: WEBHOOK_SECRET,
      store: (event, json) => webhookInboxQueue.store(pool, event, json),
      wake: () => woken.push('wake'),
    });
    const { id, body } = eventPayload('customer.created', { id: 'cus_one', object: 'customer' });

    await expect(receive(Buffer.from(body), signature(body))).resolves.toEqual({ eventId: id, stored: true });

    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(
      /^\s*INSERT INTO webhook_events .* ON CONFLICT \(id\) DO NOTHING\s+RETURNING id\s*$/s,
    );
    expect(woken).toEqual(['wake']);
    const [row] = await db.dataSource.query(
      'SELECT status, payload, next_attempt_at <= now() AS due FROM webhook_events WHERE id = $1',
      [id],
    );
    expect(row).toEqual({ status: 'received', payload: JSON.parse(body), due: true });
  });

  it('stores a repeat delivery nowhere and does not wake the worker for it', async () => {
    const woken: string[] = [];
    const receive = stripeWebhookReceiver({
      webhookSecret: WEBHOOK_SECRET,
      store: (event, json) => webhookInboxQueue.store(pgPoolOf(db.dataSource), event, json),
      wake: () => woken.push('wake'),
    });
    const { id, body } = eventPayload('customer.created', { id: 'cus_repeat', object: 'customer' });
    await receive(Buffer.from(body), signature(body));
    await expect(receive(Buffer.from(body), signature(body))).resolves.toEqual({ eventId: id, stored: false });
    expect(woken).toEqual(['wake']);
    expect(await stored(id)).toBe(1);
  });

  it('answers 500 and stores nothing when the statement fails, and stores the redelivery once', async () => {
    // PostgreSQL refuses this one row (as a full disk or a lost connection would refuse any).
    await db.dataSource.query(`
      CREATE FUNCTION refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.object_id = 'cus_refused' THEN RAISE EXCEPTION 'storage refused'; END IF;
        RETURN NEW;
      END $$`);
    await db.dataSource.query(
      'CREATE TRIGGER refuse_event BEFORE INSERT ON webhook_events FOR EACH ROW EXECUTE FUNCTION refuse_event()',
    );
    const { id, body } = eventPayload('customer.created', { id: 'cus_refused', object: 'customer' });

    const refused = await deliver(sut.app, body);
    expect(refused.status).toBe(500);
    expect(refused.body.error.type).toBe('api_error');
    expect(JSON.stringify(refused.body)).not.toMatch(/storage refused/);
    expect(await stored(id)).toBe(0);

    await db.dataSource.query('DROP TRIGGER refuse_event ON webhook_events');
    const retried = await deliver(sut.app, body);
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual({ received: true, id, duplicate: false });
    expect(await stored(id)).toBe(1);
  });
});
