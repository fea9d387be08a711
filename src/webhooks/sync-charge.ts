import { chargeMirror, upsertCharge } from './charge-mirror';
import { accountForCustomer } from './customer-accounts';
import { inTransaction, withObjectLock } from './object-lock';
import { idOf } from './stripe-ids';
import type { InSyncTransaction, SyncContext, SyncResult } from './sync-context';

/** Makes the local mirror of one charge (refunded amount, dispute flag) equal to Stripe's current charge. */
export async function syncCharge(
  ctx: SyncContext,
  chargeId: string,
  inSameTransaction?: InSyncTransaction,
): Promise<SyncResult> {
  const { runner } = ctx;
  return withObjectLock(runner, chargeId, async () => {
    const charge = await ctx.stripe.charge(chargeId);
    const customerId = idOf(charge.customer);
    const accountId = await accountForCustomer(runner.manager, customerId, charge.metadata);
    if (!accountId) return { outcome: 'unknown_customer', id: chargeId, customerId };
    const mirror = chargeMirror(charge, accountId);
    return inTransaction(runner, async () => {
      await upsertCharge(runner.manager, mirror);
      await inSameTransaction?.(runner.manager, { accountId, changes: [] });
      return { outcome: 'synced', id: chargeId, accountId, changes: [] };
    });
  });
}
