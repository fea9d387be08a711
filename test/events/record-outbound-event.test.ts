import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { recordOutboundEvent } from '../../src/events/record-outbound-event';

describe('the outbox (recordOutboundEvent)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  it('writes the event inside the caller transaction: a rollback leaves no event', async () => {
    const runner = db.dataSource.createQueryRunner();
    await runner.startTransaction();
    const id = await recordOutboundEvent(runner, {
      type: 'account.created',
      accountId: 'acct_rb',
      data: { id: 'acct_rb' },
    });
    expect(id).toMatch(/^evt_/);
    await runner.rollbackTransaction();
    await runner.release();
    const rows = await db.dataSource.query(`SELECT * FROM outbound_events WHERE account_id = 'acct_rb'`);
    expect(rows).toHaveLength(0);
  });

  it('records one event per dedupe key, in order per account', async () => {
    const manager = db.dataSource.manager;
    const first = await recordOutboundEvent(manager, {
      type: 'checkout.abandoned',
      accountId: 'acct_1',
      data: { session: 'cs_1' },
      dedupeKey: 'checkout.abandoned:cs_1',
    });
    const again = await recordOutboundEvent(manager, {
      type: 'checkout.abandoned',
      accountId: 'acct_1',
      data: { session: 'cs_1', other: true },
      dedupeKey: 'checkout.abandoned:cs_1',
    });
    const next = await recordOutboundEvent(manager, { type: 'trial.started', accountId: 'acct_1', data: {} });
    expect(first).not.toBeNull();
    expect(again).toBeNull();
    const rows: { id: string; data: unknown }[] = await db.dataSource.query(
      `SELECT id, data FROM outbound_events WHERE account_id = 'acct_1' ORDER BY seq`,
    );
    expect(rows.map((r) => r.id)).toEqual([first, next]);
    expect(rows[0]!.data).toEqual({ session: 'cs_1' });
  });
});
