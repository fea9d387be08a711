import supertest from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app';
import { countRows, deliver, eventPayload, signature, WEBHOOK_SECRET } from './support/webhook-harness';

/**
 * Issue #19: a delivery whose signature is right but whose body is no Stripe event is a 400 saying
 * so, never `invalid_signature` (the signature was fine) and never a 500; a signature timestamp in the
 * future beyond the 300 s tolerance is refused like a stale one (https://docs.stripe.com/webhooks#verify-manually);
 * a delivery without the header is refused before its body is read.
 */
describe('POST /webhooks/stripe with a signed body that is no event', () => {
  let t: TestApp;
  const stored = () => countRows(t.db.dataSource, 'SELECT count(*) AS n FROM webhook_events');

  beforeAll(async () => {
    t = await createTestApp({ STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET });
  });
  afterAll(() => t.close());

  const event = (changes: Record<string, unknown>) => {
    const parsed = JSON.parse(eventPayload('customer.created', { id: 'cus_x', object: 'customer' }).body) as Record<
      string,
      unknown
    >;
    return JSON.stringify({ ...parsed, ...changes });
  };

  it.each([
    ['not JSON', 'this is not json', 'invalid_payload'],
    ['{}', '{}', 'invalid_event'],
    ['null', 'null', 'invalid_event'],
    ['an event without data', event({ data: undefined }), 'invalid_event'],
    ['an event whose created is no time', event({ created: 'yesterday' }), 'invalid_event'],
    ['an event whose created is out of range', event({ created: 1e20 }), 'invalid_event'],
    ['an event whose id carries a NUL', event({ id: 'evt_\u0000' }), 'invalid_characters'],
  ])('answers %s with a 400 naming the fault, storing nothing', async (_what, body, code) => {
    const res = await deliver(t.app, body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code });
    expect(res.body.error.code).not.toBe('invalid_signature');
    expect(await stored()).toBe(0);
  });

  it('refuses a signature dated beyond the tolerance in the future, as it refuses a stale one', async () => {
    const { body } = eventPayload('customer.created', { id: 'cus_future', object: 'customer' });
    const future = Math.floor(Date.now() / 1000) + 301;
    const res = await deliver(t.app, body, signature(body, { timestamp: future }));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_signature', param: 'Stripe-Signature' });
    expect(await stored()).toBe(0);
  });

  it('refuses a delivery without a signature before reading its body (even one that is not what its encoding says)', async () => {
    const res = await supertest(t.app)
      .post('/webhooks/stripe')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send('not gzip at all');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'missing_signature' });
  });
});
