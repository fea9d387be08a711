import type { DataSource } from 'typeorm';
import type { StripeClient } from '../stripe/stripe-client';
import type { PriceCodeResolver } from '../webhooks/price-codes';
import { stripeObjectsFrom } from '../webhooks/stripe-objects';
import type { InSyncTransaction, SyncResult } from '../webhooks/sync-context';
import { syncSubscription } from '../webhooks/sync-subscription';

/**
 * Makes the local subscription mirror equal Stripe's current object, through the same
 * function the webhooks use (refetch under a per-subscription lock), so a change's own
 * write and a webhook's write can never disagree or go backwards. `inSameTransaction` runs in the
 * mirror's own transaction, only when the mirror was written (outcome `synced`).
 */
export async function mirrorSubscription(
  deps: { dataSource: DataSource; stripe: StripeClient; resolvePrice: PriceCodeResolver },
  subscriptionId: string,
  inSameTransaction?: InSyncTransaction,
): Promise<SyncResult> {
  const runner = deps.dataSource.createQueryRunner();
  await runner.connect();
  try {
    return await syncSubscription(
      { runner, stripe: stripeObjectsFrom(deps.stripe), resolvePrice: deps.resolvePrice },
      subscriptionId,
      inSameTransaction,
    );
  } finally {
    await runner.release();
  }
}
