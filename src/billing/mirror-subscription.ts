import type { DataSource } from 'typeorm';
import type { StripeClient } from '../stripe/stripe-client';
import type { PriceCodeResolver } from '../webhooks/price-codes';
import { stripeObjectsFrom } from '../webhooks/stripe-objects';
import { syncSubscription } from '../webhooks/sync-subscription';

/**
 * Makes the local subscription mirror equal Stripe's current object, through the same
 * function the webhooks use (refetch under a per-subscription lock), so a change's own
 * write and a webhook's write can never disagree or go backwards.
 */
export async function mirrorSubscription(
  deps: { dataSource: DataSource; stripe: StripeClient; resolvePrice: PriceCodeResolver },
  subscriptionId: string,
): Promise<void> {
  const runner = deps.dataSource.createQueryRunner();
  await runner.connect();
  try {
    await syncSubscription(
      { runner, stripe: stripeObjectsFrom(deps.stripe), resolvePrice: deps.resolvePrice },
      subscriptionId,
    );
  } finally {
    await runner.release();
  }
}
