import { recordOutboundEvent } from '../../src/events/record-outbound-event';
import { purgeOldEvents } from '../../src/events/purge-old-events';
import { deliveryHarness, type DeliveryHarness } from './support/delivery-harness';

const DAY_MS = 86_400_000;

describe('outbound event retention (OUTBOUND_EVENTS_RETENTION_DAYS)', () => {
  let h: DeliveryHarness;
  beforeAll(async () => {
    h = await deliveryHarness();
  });
  afterAll(async () => h.close());
  afterEach(async () => {
    await h.pool().query('DELETE FROM event_endpoints');
    await h.pool().query('DELETE FROM outbound_events');
  });

  const recordAt = (daysAgo: number, accountId: string, dedupeKey?: string) =>
    recordOutboundEvent(h.db.dataSource.manager, {
      type: 'account.created',
      accountId,
      data: { account_id: accountId },
      dedupeKey,
      occurredAt: new Date(h.clock.ms - daysAgo * DAY_MS),
    });
  /** Fans out and delivers everything due; the receiver answers 500 for the accounts in `failing`. */
  const deliverAll = async (failing: string[] = []) => {
    const worker = h.worker({
      send: async (_url, _headers, body) =>
        failing.some((account) => body.includes(`"${account}"`))
          ? { status: 500, error: null }
          : { status: 204, error: null },
    });
    await worker.runOnce();
  };
  const remaining = async () =>
    (
      await h.pool().query<{ account_id: string }>('SELECT account_id FROM outbound_events ORDER BY account_id')
    ).rows.map((row) => row.account_id);
  const deliveriesOf = async (eventId: string) =>
    Number(
      (await h.pool().query('SELECT count(*) AS n FROM event_deliveries WHERE event_id = $1', [eventId])).rows[0].n,
    );

  it('deletes events older than the retention with their deliveries, and keeps newer ones', async () => {
    await h.endpoints.create({ url: 'https://receiver.example.com/hooks' });
    const old = await recordAt(401, 'acct_old');
    await recordAt(399, 'acct_recent');
    await deliverAll();
    expect(await deliveriesOf(old!)).toBe(1);

    const purged = await purgeOldEvents({ pool: h.pool, now: h.now(), retentionDays: 400 });

    expect(purged).toBe(1);
    expect(await remaining()).toEqual(['acct_recent']);
    expect(await deliveriesOf(old!)).toBe(0);
  });

  it('keeps an old event while a delivery of it is still pending, or before it was fanned out', async () => {
    await h.endpoints.create({ url: 'https://receiver.example.com/hooks' });
    await recordAt(500, 'acct_failing');
    await recordAt(500, 'acct_done');
    await deliverAll(['acct_failing']);
    await recordAt(500, 'acct_unfanned');

    const purged = await purgeOldEvents({ pool: h.pool, now: h.now(), retentionDays: 400 });

    expect(purged).toBe(1);
    expect(await remaining()).toEqual(['acct_failing', 'acct_unfanned']);
  });

  it('goes batch by batch, and a run stops after its batches while the next run goes on', async () => {
    for (let i = 0; i < 5; i += 1) await recordAt(450 + i, `acct_${i}`);
    await deliverAll(); // no endpoint: fanned out to nobody, so nothing is pending

    expect(await purgeOldEvents({ pool: h.pool, now: h.now(), retentionDays: 400, batchSize: 2, maxBatches: 1 })).toBe(
      2,
    );
    // The oldest go first.
    expect(await remaining()).toEqual(['acct_0', 'acct_1', 'acct_2']);
    expect(await purgeOldEvents({ pool: h.pool, now: h.now(), retentionDays: 400, batchSize: 2 })).toBe(3);
    expect(await remaining()).toEqual([]);
  });

  it('frees a purged event’s dedupe key, which only matters for causes long past', async () => {
    await recordAt(401, 'acct_key', 'guarantee.expiring:pur_1');
    await deliverAll();
    expect(await recordAt(0, 'acct_key', 'guarantee.expiring:pur_1')).toBeNull();
    await purgeOldEvents({ pool: h.pool, now: h.now(), retentionDays: 400 });
    expect(await recordAt(0, 'acct_key', 'guarantee.expiring:pur_1')).not.toBeNull();
  });
});
