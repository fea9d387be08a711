import type { Pool } from 'pg';
import { GroupCommit } from '../../src/shared/database/group-commit';
import { pgPoolOf } from '../../src/usage/pg-pool';
import { stripeWebhookReceiver } from '../../src/webhooks/receive-stripe-webhook';
import { webhookInboxQueue, type InboxDelivery } from '../../src/webhooks/webhook-inbox-queue';
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
 * Accepting a Stripe delivery is one autocommit statement (shared with the deliveries arriving with
 * it): the inbox row is also the job, so a delivery answered 200 is stored and queued at once, and one whose statement fails stores nothing
 * and answers 5xx (Stripe delivers it again: docs.stripe.com/webhooks, "Retry behavior": in live
 * mode a delivery that failed is retried for up to three days with exponential backoff).
 */
describe('POST /webhooks/stripe: one statement stores a delivery, or the deliveries arriving with it', () => {
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

  /**
   * Makes PostgreSQL refuse every inbox row of `objectId` (a trigger named `name` raising an error);
   * answers the function that lifts the refusal.
   */
  const refuseObject = async (name: string, objectId: string) => {
    await db.dataSource.query(`
      CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.object_id = '${objectId}' THEN RAISE EXCEPTION 'storage refused'; END IF;
        RETURN NEW;
      END $$`);
    await db.dataSource.query(
      `CREATE TRIGGER ${name} BEFORE INSERT ON webhook_events FOR EACH ROW EXECUTE FUNCTION ${name}()`,
    );
    return async () => void (await db.dataSource.query(`DROP TRIGGER ${name} ON webhook_events`));
  };

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
    const allow = await refuseObject('refuse_event', 'cus_refused');
    const { id, body } = eventPayload('customer.created', { id: 'cus_refused', object: 'customer' });

    const refused = await deliver(sut.app, body);
    expect(refused.status).toBe(500);
    expect(refused.body.error.type).toBe('api_error');
    expect(JSON.stringify(refused.body)).not.toMatch(/storage refused/);
    expect(await stored(id)).toBe(0);

    await allow();
    const retried = await deliver(sut.app, body);
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual({ received: true, id, duplicate: false });
    expect(await stored(id)).toBe(1);
  });

  /*
   * Deliveries that arrive together are stored by one statement (src/shared/database/group-commit.ts):
   * Stripe sends events in parallel, and each accept used to pay a round trip and a commit of its own.
   * What a delivery is answered must not change: stored once, a repeat answered as one (also when both
   * copies land in the same statement), and a delivery PostgreSQL refuses answered 5xx without taking
   * the others of its batch down with it.
   */
  const storedRows = (ids: string[]) =>
    countRows(db.dataSource, 'SELECT count(*) AS n FROM webhook_events WHERE id = ANY($1)', [ids]);

  /** The receiver as the module builds it (its intake a GroupCommit), on a pool recording its statements. */
  const countingReceiver = (maxInFlight: number) => {
    const sent: string[] = [];
    const counting = recordingPool(sent);
    const statements = () => sent.length;
    const intake = new GroupCommit<InboxDelivery, boolean>({
      flush: (deliveries) => webhookInboxQueue.storeMany(counting, deliveries),
      maxInFlight,
      maxBatch: 100,
    });
    const receive = stripeWebhookReceiver({
      webhookSecret: WEBHOOK_SECRET,
      store: (event, json) => intake.submit({ event, json }),
      wake: () => undefined,
    });
    return { receive, statements };
  };

  it('stores 40 parallel deliveries, each once, in fewer statements than deliveries', async () => {
    const { receive, statements } = countingReceiver(1);
    const events = Array.from({ length: 40 }, (_, index) =>
      eventPayload('customer.created', { id: `cus_parallel_${index}`, object: 'customer' }),
    );
    const answers = await Promise.all(events.map(({ body }) => receive(Buffer.from(body), signature(body))));
    expect(answers).toEqual(events.map(({ id }) => ({ eventId: id, stored: true })));
    // One slot: the first goes alone, the 39 that arrived while it ran go together.
    expect(statements()).toBe(2);
    expect(await storedRows(events.map(({ id }) => id))).toBe(40);
    const [row] = await db.dataSource.query(
      `SELECT status, type, api_version, livemode, object_id, payload, created = to_timestamp($2) AS created_kept
         FROM webhook_events WHERE id = $1`,
      [events[7]?.id, JSON.parse(events[7]?.body ?? '{}').created],
    );
    expect(row).toEqual({
      status: 'received',
      type: 'customer.created',
      api_version: '2026-10-28.endive',
      livemode: false,
      object_id: 'cus_parallel_7',
      payload: JSON.parse(events[7]?.body ?? '{}'),
      created_kept: true,
    });
  });

  it('answers the second copy of an event in the same statement as a repeat, and stores it once', async () => {
    const { receive, statements } = countingReceiver(1);
    const opener = eventPayload('customer.created', { id: 'cus_opener', object: 'customer' });
    const twice = eventPayload('customer.created', { id: 'cus_twice', object: 'customer' });
    const answers = await Promise.all(
      [opener, twice, twice].map(({ body }) => receive(Buffer.from(body), signature(body))),
    );
    expect(statements()).toBe(2);
    expect(answers.map((answer) => answer.stored)).toEqual([true, true, false]);
    expect(await storedRows([twice.id])).toBe(1);
  });

  it('keeps nullable and awkward values exactly: no api_version, no object id, quotes and backslashes', async () => {
    const { receive } = countingReceiver(1);
    const plain = eventPayload('customer.created', { id: 'cus_plain', object: 'customer' });
    const awkward = eventPayload('invoice.created', { object: 'invoice', memo: 'a "quoted" \\ path {NULL}' });
    const noVersion = JSON.parse(awkward.body) as Record<string, unknown>;
    noVersion.api_version = null;
    const body = JSON.stringify(noVersion);
    await Promise.all([plain.body, body].map((text) => receive(Buffer.from(text), signature(text))));
    const [row] = await db.dataSource.query(
      'SELECT api_version, object_id, payload FROM webhook_events WHERE id = $1',
      [awkward.id],
    );
    expect(row).toEqual({ api_version: null, object_id: null, payload: JSON.parse(body) });
  });

  it('answers 500 to the one delivery PostgreSQL refuses and stores its neighbours', async () => {
    const allow = await refuseObject('refuse_in_batch', 'cus_refused_in_batch');
    try {
      const neighbours = Array.from({ length: 12 }, (_, index) =>
        eventPayload('customer.created', { id: `cus_neighbour_${index}`, object: 'customer' }),
      );
      const refused = eventPayload('customer.created', { id: 'cus_refused_in_batch', object: 'customer' });
      const all = [...neighbours.slice(0, 6), refused, ...neighbours.slice(6)];
      // Through the app and the module's own intake (two statements in flight, batches of up to 100).
      const answers = await Promise.all(all.map(({ body }) => deliver(sut.app, body)));
      expect(answers.map((answer) => answer.status)).toEqual(all.map((event) => (event === refused ? 500 : 200)));
      expect(await storedRows(neighbours.map(({ id }) => id))).toBe(12);
      expect(await storedRows([refused.id])).toBe(0);
    } finally {
      await allow();
    }
  });
});
