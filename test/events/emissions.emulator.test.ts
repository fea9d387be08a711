import request from 'supertest';
import { OUTBOUND_EVENT_DATA } from '../../src/events/outbound-event-schemas';
import type { OutboundEventType } from '../../src/events/outbound-event-types';
import {
  advanceClock,
  DAY,
  mirror,
  paidAccount,
  START,
  startBillingHarness,
  type BillingHarness,
} from '../billing/support/billing-harness';
import { at, buy, claim, DAY_MS } from '../guarantees/support/guarantee-harness';

/**
 * The outbound events the billing flows emit, each in the transaction of its state change
 * (database triggers, migration OutboundEventTriggers), driven through the real routes on the
 * Stripe emulator.
 */
let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness();
});
afterAll(async () => h?.close());

interface EventRow {
  type: string;
  data: Record<string, unknown>;
  dedupe_key: string | null;
}
const eventsOf = async (accountId: string): Promise<EventRow[]> =>
  h.db.dataSource.query(`SELECT type, data, dedupe_key FROM outbound_events WHERE account_id = $1 ORDER BY seq`, [
    accountId,
  ]);
const typesOf = async (accountId: string) => (await eventsOf(accountId)).map((e) => e.type);

describe('outbound events from billing', () => {
  it('account.created, quote.created, change.applied and purchase.completed for an upgrade, then refund.succeeded', async () => {
    const account = await paidAccount(h, { currency: 'usd' });
    expect(await typesOf(account.accountId)).toEqual(['account.created']);

    const upgrade = await buy(h, account.auth(), { plan: 'premium' });
    const events = await eventsOf(account.accountId);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['account.created', 'quote.created', 'change.applied', 'purchase.completed']),
    );
    const purchase = events.find((e) => e.type === 'purchase.completed')!;
    expect(purchase.data).toMatchObject({ purchase_id: upgrade.id, amount: upgrade.amount, currency: 'usd' });
    expect(events.find((e) => e.type === 'quote.created')!.data).toMatchObject({ currency: 'usd' });

    at(h, upgrade, DAY_MS);
    expect((await claim(h, account.auth(), upgrade.id)).status).toBe(200);
    const refund = (await eventsOf(account.accountId)).filter((e) => e.type === 'refund.succeeded');
    expect(refund).toHaveLength(1);
    expect(refund[0]!.data).toMatchObject({ purchase_id: upgrade.id, amount: upgrade.amount, currency: 'usd' });
  });

  it('subscription.canceled and subscription.resumed, each once', async () => {
    const account = await paidAccount(h);
    const send = (path: string, key: string, body: object) =>
      request(h.app).post(path).set('Authorization', account.auth()).set('Idempotency-Key', key).send(body);
    expect((await send('/v1/subscription/cancel', `c-${account.accountId}`, { at_period_end: true })).status).toBe(200);
    await mirror(h, account.subscription.id);
    expect((await send('/v1/subscription/resume', `r-${account.accountId}`, {})).status).toBe(200);
    await mirror(h, account.subscription.id);
    const types = await typesOf(account.accountId);
    expect(types.filter((t) => t === 'subscription.canceled')).toHaveLength(1);
    expect(types.filter((t) => t === 'subscription.resumed')).toHaveLength(1);
    expect(types.indexOf('subscription.canceled')).toBeLessThan(types.indexOf('subscription.resumed'));
  });

  it('subscription.renewed once per renewal, however often the mirror syncs', async () => {
    const account = await paidAccount(h);
    await advanceClock(h, account.clockId, START + 32 * DAY);
    await mirror(h, account.subscription.id);
    await mirror(h, account.subscription.id);
    const renewed = (await eventsOf(account.accountId)).filter((e) => e.type === 'subscription.renewed');
    expect(renewed).toHaveLength(1);
    expect(renewed[0]!.data).toMatchObject({ subscription_id: account.subscription.id, plan_code: 'pro' });
  });

  it('no event for a change that rolled back', async () => {
    const account = await paidAccount(h);
    const runner = h.db.dataSource.createQueryRunner();
    await runner.startTransaction();
    await runner.query(`INSERT INTO accounts (id, name, email, country, locale, signed_up_at)
                       VALUES ('acct_never', 'X', 'x@example.com', 'US', 'en', now())`);
    await runner.rollbackTransaction();
    await runner.release();
    expect(await typesOf('acct_never')).toEqual([]);
    expect(await typesOf(account.accountId)).toEqual(['account.created']);
  });
});

describe('guarantee.expiring', () => {
  it('is emitted once for a guarantee ending within 3 days, and not before', async () => {
    const account = await paidAccount(h, { currency: 'usd' });
    const upgrade = await buy(h, account.auth(), { plan: 'premium' });
    const guarantees = h.services.guarantees!;
    const expiring = async () => (await eventsOf(account.accountId)).filter((e) => e.type === 'guarantee.expiring');
    at(h, upgrade, 20 * DAY_MS); // plan_upgrade: 30 days
    await guarantees.emitExpiringGuarantees();
    expect(await expiring()).toHaveLength(0);
    at(h, upgrade, 28 * DAY_MS);
    await guarantees.emitExpiringGuarantees();
    await guarantees.emitExpiringGuarantees();
    const events = await expiring();
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ purchase_id: upgrade.id, amount: upgrade.amount, currency: 'usd' });
  });
});

/** Every event the flows emitted matches its published payload schema. */
it('every event emitted above matches its published payload schema', async () => {
  const rows: Array<{ type: OutboundEventType; data: unknown }> = await h.db.dataSource.query(
    'SELECT type, data FROM outbound_events',
  );
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows)
    expect([row.type, OUTBOUND_EVENT_DATA[row.type].safeParse(row.data).error]).toEqual([row.type, undefined]);
});
