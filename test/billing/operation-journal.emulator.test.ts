import { OperationAlreadyFinished, operations } from '../../src/billing/operation-journal';
import { purchases } from '../../src/billing/purchase.repository';
import {
  change,
  paidAccount,
  quote,
  startBillingHarness,
  useCard,
  type BillingHarness,
} from './support/billing-harness';

let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness();
});
afterAll(async () => h?.close());

async function operationRow(id: string): Promise<{ state: string; result: Record<string, unknown> }> {
  const [row] = await h.db.dataSource.query('SELECT state, result FROM billing_operations WHERE id = $1', [id]);
  return row;
}

describe('a finished operation stays finished', () => {
  it('ignores a late finish of a completed change', async () => {
    const account = await paidAccount(h);
    const quoted = await quote(h, account.auth(), { plan: 'premium' });
    const changed = await change(h, account.auth(), quoted.body.id);
    expect(changed.body.status).toBe('applied');
    const before = await operationRow(changed.body.operation_id);
    expect(before.state).toBe('completed');

    const updated = await operations.finish(h.db.dataSource.manager, changed.body.operation_id, 'failed', {
      status: 'expired',
    });

    expect(updated).toBe(false);
    expect(await operationRow(changed.body.operation_id)).toEqual(before);
  });

  it('rolls back the purchase of a late completion of a failed change', async () => {
    const account = await paidAccount(h);
    await useCard(h, account.customerId, 'pm_card_chargeDeclined');
    const quoted = await quote(h, account.auth(), { plan: 'premium' });
    const changed = await change(h, account.auth(), quoted.body.id);
    const operationId: string = changed.body.operation_id;
    await operations.finish(h.db.dataSource.manager, operationId, 'failed', { status: 'expired' });

    const late = h.db.dataSource.transaction(async (manager) => {
      await purchases.record(manager, {
        accountId: account.accountId,
        operationId,
        kind: 'plan_change',
        bought: {},
        previous: {},
        currency: 'usd',
        amount: 100,
        stripeSubscriptionId: account.subscription.id,
        stripeInvoiceId: null,
        stripePaymentIntentId: null,
        stripeChargeId: null,
        paidAt: new Date(),
      });
      await operations.complete(manager, operationId, { status: 'applied' });
    });

    await expect(late).rejects.toBeInstanceOf(OperationAlreadyFinished);
    expect(await operationRow(operationId)).toMatchObject({ state: 'failed', result: { status: 'expired' } });
    const rows = await h.db.dataSource.query('SELECT id FROM purchases WHERE operation_id = $1', [operationId]);
    expect(rows).toHaveLength(0);
  });
});
