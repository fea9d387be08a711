import { idOf } from './stripe-ids';
import { inTransaction, withObjectLock } from './object-lock';
import { recordRenewalChange, renewalChange } from './renewal-change';
import { recordTrialTransition } from '../lifecycle/trial-transitions';
import { mirrorDifferences, subscriptionMirror } from './subscription-mirror';
import { subscriptionMirrors } from './subscription-mirror.repository';
import type { InSyncTransaction, SyncContext, SyncResult } from './sync-context';

/** Statuses the mirror's one-live-subscription-per-account index covers. */
const LIVE = new Set(['trialing', 'active', 'past_due', 'unpaid', 'paused']);

/**
 * Makes the local mirror of one subscription equal to Stripe's current object.
 * NOTE: refetching (never trusting the event's snapshot) under a per-subscription
 * lock is what makes any delivery order end in Stripe's final state. A change of items at a
 * renewal (a scheduled downgrade) is recorded beside it, once, for analytics.
 */
export async function syncSubscription(
  ctx: SyncContext,
  subscriptionId: string,
  inSameTransaction?: InSyncTransaction,
): Promise<SyncResult> {
  const { runner } = ctx;
  return withObjectLock(runner, subscriptionId, async () => {
    const subscription = await ctx.stripe.subscription(subscriptionId);
    const customerId = idOf(subscription.customer);
    // NOTE: the current row is read with the account, before the transaction: under this
    // subscription's lock no other sync of it can write its mirror between this read and the write
    // (inside the transaction the read took no row lock either).
    const facts = await subscriptionMirrors.syncFacts(
      runner.manager,
      subscriptionId,
      customerId,
      subscription.metadata?.tierlift_account_id ?? null,
    );
    const { accountId, current } = facts;
    if (!accountId) return { outcome: 'unknown_customer', id: subscriptionId, customerId };
    const wanted = subscriptionMirror(subscription, accountId, ctx.resolvePrice);
    if (LIVE.has(wanted.status)) {
      const stillLive = await settleOtherLiveSubscriptions(ctx, accountId, facts.otherLiveIds);
      // NOTE: one live subscription per account is the mirror's rule (and billing's): a second one
      // made outside Tierlift is reported, never written over the first or failed on the index.
      if (stillLive.length > 0) return { outcome: 'second_live', id: subscriptionId, accountId, liveIds: stillLive };
    }
    return inTransaction(runner, async () => {
      const changes = mirrorDifferences(current, wanted);
      if (changes.length > 0) await subscriptionMirrors.upsert(runner.manager, wanted);
      const atRenewal = renewalChange(current, wanted);
      if (atRenewal) await recordRenewalChange(runner.manager, atRenewal);
      await recordTrialTransition(runner.manager, current, wanted);
      await inSameTransaction?.(runner.manager, { accountId, changes });
      const row = { mirror: wanted, scheduledChange: facts.scheduledChange };
      return { outcome: 'synced', id: subscriptionId, accountId, changes, row };
    });
  });
}

/**
 * An account moving to a new subscription: the old one may still look live locally
 * while Stripe has already ended it. Refresh those first so the new one can be live.
 * Returns the other subscriptions that are live in Stripe too.
 */
async function settleOtherLiveSubscriptions(ctx: SyncContext, accountId: string, others: string[]): Promise<string[]> {
  const stillLive: string[] = [];
  for (const otherId of others) {
    const other = await ctx.stripe.subscription(otherId);
    if (LIVE.has(other.status)) {
      stillLive.push(otherId);
      continue;
    }
    await subscriptionMirrors.upsert(ctx.runner.manager, subscriptionMirror(other, accountId, ctx.resolvePrice));
  }
  return stillLive;
}
