import { Webhook } from 'standardwebhooks';
import { deliveryHarness, type DeliveryHarness } from './support/delivery-harness';
import { startReceiver } from './support/receiver';
import { recordOutboundEvent } from '../../src/events/record-outbound-event';
import { RETRY_SPAN_MS } from '../../src/events/delivery-backoff';

describe('outbound event delivery (Standard Webhooks)', () => {
  let h: DeliveryHarness;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    h = await deliveryHarness();
  });
  afterAll(async () => h.close());
  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await receiver.close();
    await h.pool().query('DELETE FROM event_endpoints');
  });

  const endpoint = async (eventTypes?: string[]) => {
    const created = await h.endpoints.create({ url: receiver.url, event_types: eventTypes });
    receiver.secrets = [created.secret];
    return created;
  };

  it('line 1: every delivery verifies with the standardwebhooks library; a tampered or old one fails', async () => {
    const ep = await endpoint(['account.created', 'purchase.completed']);
    await h.record('account.created', 'acct_1', { account_id: 'acct_1' });
    await h.record('purchase.completed', 'acct_1', { amount: 1900, currency: 'eur' });
    await h.record('quote.created', 'acct_1', { quote_id: 'q_1' }); // not subscribed
    const worker = h.worker();
    while ((await worker.runOnce()) > 0);
    expect(receiver.rejected).toBe(0);
    expect(receiver.received.map((r) => r.event.type)).toEqual(['account.created', 'purchase.completed']);
    for (const delivery of receiver.received) expect(delivery.id).toBe(delivery.event.id);

    const [first] = receiver.received;
    const hook = new Webhook(ep.secret);
    const headers = {
      'webhook-id': first!.id,
      'webhook-timestamp': first!.timestamp,
      'webhook-signature': first!.signature,
    };
    expect(hook.verify(first!.body, headers)).toMatchObject({ type: 'account.created' });
    expect(() => hook.verify(first!.body.replace('acct_1', 'acct_2'), headers)).toThrow();
    expect(() => hook.verify(first!.body, { ...headers, 'webhook-id': 'evt_other' })).toThrow();
    const old = new Date(Date.now() - 10 * 60_000);
    const oldHeaders = {
      ...headers,
      'webhook-timestamp': String(Math.floor(old.getTime() / 1000)),
      'webhook-signature': hook.sign(first!.id, old, first!.body),
    };
    expect(() => hook.verify(first!.body, oldHeaders)).toThrow(/too old/i);

    const list = await h.endpoints.deliveries(ep.id, undefined, 10);
    expect(list.data).toHaveLength(2);
    expect(list.data.every((d) => d.status === 'delivered' && d.attempts === 1 && d.last_response_code === 204)).toBe(
      true,
    );
    expect((await h.endpoints.get(ep.id)).health).toMatchObject({ delivered_24h: 2, pending: 0 });
  });

  it('signs with both secrets during a rotation overlap, and with the new one alone after it', async () => {
    const ep = await endpoint();
    const { secret } = await h.endpoints.rotateSecret(ep.id, 3600);
    const worker = h.worker();
    receiver.secrets = [ep.secret];
    await h.record('account.created', 'acct_rot', {});
    while ((await worker.runOnce()) > 0);
    receiver.secrets = [secret];
    await h.record('account.created', 'acct_rot2', {});
    while ((await worker.runOnce()) > 0);
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[0]!.signature.split(' ')).toHaveLength(2);
    h.advance(3601_000);
    receiver.secrets = [ep.secret];
    await h.record('account.created', 'acct_rot3', {});
    await worker.runOnce();
    expect(receiver.rejected).toBe(1);
    expect(receiver.received).toHaveLength(2);
  });

  it('line 2: a crash between the state change and the delivery loses nothing; one webhook-id, one body', async () => {
    const ep = await endpoint();
    // The state change and its event commit together; nothing is running yet (the process died).
    const runner = h.db.dataSource.createQueryRunner();
    await runner.startTransaction();
    await runner.query(`CREATE TABLE crash_state (id text PRIMARY KEY)`);
    await runner.query(`INSERT INTO crash_state VALUES ('changed')`);
    const eventId = await recordOutboundEvent(runner, {
      type: 'subscription.renewed',
      accountId: 'acct_crash',
      data: { plan: 'pro' },
    });
    await runner.commitTransaction();
    await runner.release();

    // A first worker sends the delivery and dies before it records the answer.
    let sent = 0;
    const dying = h.worker({
      send: async (url, headers, body) => {
        sent += 1;
        await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
        return new Promise(() => {}); // never answers: the process is gone
      },
    });
    void dying.runOnce();
    await waitFor(() => receiver.received.length === 1);
    expect(sent).toBe(1);

    // A new process starts; once the dead worker's lease lapses, the delivery goes again.
    const restarted = h.worker();
    expect(await restarted.runOnce()).toBe(0);
    h.advance(60_000);
    expect(await restarted.runOnce()).toBe(1);
    expect(receiver.received).toHaveLength(2);
    const [a, b] = receiver.received;
    expect(a!.id).toBe(eventId);
    expect(b!.id).toBe(eventId);
    expect(b!.body).toBe(a!.body);
    const log = await h.endpoints.deliveries(ep.id, undefined, 10);
    expect(log.data).toEqual([expect.objectContaining({ event_id: eventId, status: 'delivered', attempts: 2 })]);
  });

  it('line 2: an event committed while no worker runs is delivered by the next one; a rolled-back one never', async () => {
    await endpoint();
    const rolledBack = h.db.dataSource.createQueryRunner();
    await rolledBack.startTransaction();
    await recordOutboundEvent(rolledBack, { type: 'account.created', accountId: 'acct_rb', data: {} });
    await rolledBack.rollbackTransaction();
    await rolledBack.release();
    const kept = await h.record('account.created', 'acct_kept', {});
    while ((await h.worker().runOnce()) > 0);
    expect(receiver.received.map((r) => r.id)).toEqual([kept]);
  });

  it('line 3: a receiver down for 10 minutes gets every event afterwards, in order per account', async () => {
    const ep = await endpoint();
    const worker = h.worker({ random: () => 0.5 });
    receiver.mode = 'down';
    const expected: Record<string, string[]> = {};
    for (let i = 0; i < 5; i += 1)
      for (const account of ['acct_a', 'acct_b', 'acct_c']) {
        const id = await h.record('usage.threshold_crossed', account, { n: i });
        (expected[account] ??= []).push(id!);
      }
    const start = h.clock.ms;
    let attemptsWhileDown = 0;
    while (h.clock.ms - start < 10 * 60_000) {
      attemptsWhileDown += await worker.runOnce();
      h.advance(5_000);
    }
    // Back-off: a few attempts per account's head, not one every 5 s, and nothing behind a head.
    expect(attemptsWhileDown).toBeGreaterThanOrEqual(3 * 5);
    expect(attemptsWhileDown).toBeLessThanOrEqual(3 * 10);
    const pending = await h.endpoints.get(ep.id);
    expect(pending.health.pending).toBe(15);
    expect(receiver.received).toHaveLength(0);

    receiver.mode = 'up';
    for (let step = 0; step < 200 && receiver.received.length < 15; step += 1) {
      await worker.runOnce();
      h.advance(5_000);
    }
    expect(receiver.received).toHaveLength(15);
    expect(h.clock.ms - start).toBeLessThan(30 * 60_000);
    for (const [account, ids] of Object.entries(expected))
      expect(receiver.received.filter((r) => r.event.account_id === account).map((r) => r.id)).toEqual(ids);
    expect((await h.endpoints.get(ep.id)).health).toMatchObject({ pending: 0, delivered_24h: 15 });
  });

  it('counts only 2xx, bounds each attempt by its timeout, and disables the endpoint after 3 days of failure', async () => {
    const ep = await endpoint();
    const alerts = jest.spyOn(h.logger, 'error');
    receiver.mode = 'hang';
    const worker = h.worker({ timeoutMs: 200 });
    const id = await h.record('refund.succeeded', 'acct_dead', { amount: 500, currency: 'usd' });
    const started = Date.now();
    expect(await worker.runOnce()).toBe(1);
    expect(Date.now() - started).toBeLessThan(2000);
    let [row] = (await h.endpoints.deliveries(ep.id, undefined, 1)).data;
    expect(row).toMatchObject({ event_id: id, status: 'pending', attempts: 1, last_response_code: null });
    receiver.mode = 'down';
    const begin = h.clock.ms;
    for (let step = 0; step < 100; step += 1) {
      [row] = (await h.endpoints.deliveries(ep.id, undefined, 1)).data;
      if (row!.status !== 'pending') break;
      h.clock.ms = Math.max(h.clock.ms, Date.parse(row!.next_attempt_at!));
      await worker.runOnce();
    }
    expect(row).toMatchObject({ status: 'failed', last_response_code: 503 });
    expect(row!.attempts).toBeGreaterThan(10);
    expect(h.clock.ms - begin).toBeGreaterThanOrEqual(RETRY_SPAN_MS - 60_000);
    const disabled = await h.endpoints.get(ep.id);
    expect(disabled.status).toBe('disabled');
    expect(disabled.disabled_reason).toMatch(/3 days.*HTTP 503/);
    expect(alerts).toHaveBeenCalledWith(
      expect.stringMatching(/ALERT/),
      expect.objectContaining({ endpoint_id: ep.id }),
    );

    // Fixed and enabled again, a replay sends it.
    receiver.mode = 'up';
    await h.endpoints.update(ep.id, { status: 'enabled' });
    await h.endpoints.replayDelivery(ep.id, row!.id);
    await worker.runOnce();
    expect(receiver.received.map((r) => r.id)).toEqual([id]);
  });

  it('replays a time range, events from before the endpoint existed included', async () => {
    const early = await h.record('account.created', 'acct_old', {});
    await h.worker().runOnce(); // fanned out to nobody
    const ep = await endpoint(['account.created']);
    // NOTE: the event's time is the database's (it was recorded without one), not this process's clock.
    const [{ at }] = (await h.db.dataSource.query('SELECT now() AS at')) as [{ at: Date }];
    const { queued } = await h.endpoints.replayRange(
      ep.id,
      new Date(at.getTime() - 3_600_000).toISOString(),
      new Date(at.getTime() + 3_600_000).toISOString(),
    );
    expect(queued).toBeGreaterThanOrEqual(1);
    while ((await h.worker().runOnce()) > 0);
    expect(receiver.received.map((r) => r.id)).toContain(early);
  });
});

async function waitFor(condition: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
