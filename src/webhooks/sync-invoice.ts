import { accountForCustomer } from './customer-accounts';
import { invoiceMirror, upsertInvoice } from './invoice-mirror';
import { inTransaction, withObjectLock } from './object-lock';
import { idOf } from './stripe-ids';
import type { InSyncTransaction, SyncContext, SyncResult } from './sync-context';

/** Makes the local mirror of one invoice equal to Stripe's current invoice (refetched, under its lock). */
export async function syncInvoice(
  ctx: SyncContext,
  invoiceId: string,
  inSameTransaction?: InSyncTransaction,
): Promise<SyncResult> {
  const { runner } = ctx;
  return withObjectLock(runner, invoiceId, async () => {
    const invoice = await ctx.stripe.invoice(invoiceId);
    const customerId = idOf(invoice.customer);
    const metadata = invoice.parent?.subscription_details?.metadata ?? invoice.metadata;
    const accountId = await accountForCustomer(runner.manager, customerId, metadata);
    if (!accountId) return { outcome: 'unknown_customer', id: invoiceId, customerId };
    const mirror = invoiceMirror(invoice, accountId);
    return inTransaction(runner, async () => {
      await upsertInvoice(runner.manager, mirror);
      await inSameTransaction?.(runner.manager, { accountId, changes: [] });
      return { outcome: 'synced', id: invoiceId, accountId, changes: [] };
    });
  });
}
