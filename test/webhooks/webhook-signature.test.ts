import supertest from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app';
import { countRows, deliver, eventPayload, signature, WEBHOOK_SECRET } from './support/webhook-harness';

describe('POST /webhooks/stripe signature checks', () => {
  let t: TestApp;
  const stored = () => countRows(t.db.dataSource, 'SELECT count(*) AS n FROM webhook_events');

  beforeAll(async () => {
    t = await createTestApp({ STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET });
  });
  afterAll(() => t.close());

  const expectRefused = (res: { status: number; body: { error?: Record<string, unknown> } }, code: string) => {
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code });
    expect(typeof res.body.error?.request_id).toBe('string');
  };

  it('refuses a tampered body, storing nothing', async () => {
    const { body } = eventPayload('customer.created', { id: 'cus_tampered', object: 'customer' });
    const header = signature(body);
    const res = await deliver(t.app, body.replace('cus_tampered', 'cus_tampereX'), header);
    expectRefused(res, 'invalid_signature');
    expect(await stored()).toBe(0);
  });

  it('refuses a body signed with another secret', async () => {
    const { body } = eventPayload('customer.created', { id: 'cus_wrong_secret', object: 'customer' });
    const res = await deliver(t.app, body, signature(body, { secret: 'whsec_someone_else_0123456789' }));
    expectRefused(res, 'invalid_signature');
    expect(await stored()).toBe(0);
  });

  it('refuses a delivery without a Stripe-Signature header', async () => {
    const { body } = eventPayload('customer.created', { id: 'cus_no_header', object: 'customer' });
    const res = await supertest(t.app).post('/webhooks/stripe').set('Content-Type', 'application/json').send(body);
    expectRefused(res, 'missing_signature');
    expect(await stored()).toBe(0);
  });

  it('refuses a signature whose timestamp is older than the 300 s tolerance', async () => {
    const { body } = eventPayload('customer.created', { id: 'cus_stale', object: 'customer' });
    const stale = Math.floor(Date.now() / 1000) - 301;
    const res = await deliver(t.app, body, signature(body, { timestamp: stale }));
    expectRefused(res, 'invalid_signature');
    expect(await stored()).toBe(0);
  });

  it('refuses a body re-serialised by a JSON parser (the signature covers the raw bytes)', async () => {
    const { body } = eventPayload('customer.created', { id: 'cus_reserialised', object: 'customer' });
    const header = signature(body);
    const reserialised = JSON.stringify(JSON.parse(body));
    expect(reserialised).not.toBe(body);
    const res = await deliver(t.app, reserialised, header);
    expectRefused(res, 'invalid_signature');
    expect(await stored()).toBe(0);
  });

  it('refuses a malformed header and a non-JSON content type', async () => {
    const { body } = eventPayload('customer.created', { id: 'cus_malformed', object: 'customer' });
    expectRefused(await deliver(t.app, body, 't=abc,v1=00'), 'invalid_signature');
    const res = await supertest(t.app)
      .post('/webhooks/stripe')
      .set('Content-Type', 'text/plain')
      .set('Stripe-Signature', signature(body))
      .send(body);
    expectRefused(res, 'invalid_payload');
    expect(await stored()).toBe(0);
  });

  it('accepts a valid control event and stores it once, as received', async () => {
    const { id, body } = eventPayload('customer.created', { id: 'cus_control', object: 'customer' });
    const res = await deliver(t.app, body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true, id, duplicate: false });
    const rows: Array<{ id: string; type: string; status: string; object_id: string }> = await t.db.dataSource.query(
      'SELECT id, type, status, object_id FROM webhook_events',
    );
    expect(rows).toEqual([{ id, type: 'customer.created', status: 'received', object_id: 'cus_control' }]);
  });
});
