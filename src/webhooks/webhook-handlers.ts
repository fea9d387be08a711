import type { Stripe } from '../stripe/stripe-client';
import { billingReferencesOf } from './billing-references';
import { accountForCustomer, linkCustomer } from './customer-accounts';
import { inTransaction } from './object-lock';
import { idOf } from './stripe-ids';
import { syncCharge } from './sync-charge';
import { syncInvoice } from './sync-invoice';
import { syncSubscription } from './sync-subscription';
import { subscriptionMirrors } from './subscription-mirror.repository';
import { recordTrialWillEnd } from '../lifecycle/trial-transitions';
import type { InSyncTransaction, SyncContext, SyncResult } from './sync-context';
import type { BillingSettlement, WebhookHooks } from './webhook-effects';

export interface HandlerContext {
  sync: SyncContext;
  event: Stripe.Event;
  /** The step that records this event's effect and marks it processed, in the state change's transaction. */
  finish(effect: string, targetId: string | null): InSyncTransaction;
  /** Records one more effect of this event in its own transaction (its hooks run once), without finishing the event. */
  recordEffect(effect: string, targetId: string | null, accountId: string | null): Promise<void>;
  /** Billing's settlement of waiting operations; absent when no billing module is wired. */
  settleBilling?: WebhookHooks['settleBilling'];
}

export type HandlerResult = { status: 'processed' } | { status: 'ignored'; reason: string };
export type WebhookHandler = (ctx: HandlerContext) => Promise<HandlerResult>;

const objectId = (event: Stripe.Event): string => String((event.data.object as { id?: unknown }).id ?? '');

function fromSync(result: SyncResult): HandlerResult {
  if (result.outcome === 'synced') return { status: 'processed' };
  if (result.outcome === 'second_live')
    return {
      status: 'ignored',
      reason: `${result.id} is a second live subscription of account ${result.accountId} (mirrored: ${result.liveIds.join(', ')}); resolve it in Stripe`,
    };
  return { status: 'ignored', reason: `unknown customer ${result.customerId ?? '(none)'} for ${result.id}` };
}

const subscriptionChanged: WebhookHandler = async ({ sync, event, finish }) => {
  const id = objectId(event);
  return fromSync(await syncSubscription(sync, id, finish(event.type, id)));
};

/** Three days before a trial ends: the mirror, and `trial.will_end` in the same transaction. */
const trialWillEnd: WebhookHandler = async ({ sync, event, finish }) => {
  const id = objectId(event);
  const done = finish(event.type, id);
  return fromSync(
    await syncSubscription(sync, id, async (manager, target) => {
      const mirrored = await subscriptionMirrors.find(manager, id);
      if (mirrored) await recordTrialWillEnd(manager, mirrored, event.created);
      await done(manager, target);
    }),
  );
};

const invoiceChanged: WebhookHandler = async ({ sync, event, finish }) => {
  const id = objectId(event);
  return fromSync(await syncInvoice(sync, id, finish(event.type, id)));
};

const chargeChanged: WebhookHandler = async ({ sync, event, finish }) => {
  const id = objectId(event);
  return fromSync(await syncCharge(sync, id, finish(event.type, id)));
};

const disputeCreated: WebhookHandler = async ({ sync, event, finish }) => {
  const dispute = event.data.object as Stripe.Dispute;
  const chargeId = idOf(dispute.charge);
  if (!chargeId) return { status: 'ignored', reason: 'dispute without a charge' };
  return fromSync(await syncCharge(sync, chargeId, finish(event.type, dispute.id)));
};

/**
 * A completed Checkout: link the customer it created to the account it was opened
 * for (client_reference_id or metadata), then mirror the subscription it started.
 */
const checkoutCompleted: WebhookHandler = async ({ sync, event, finish }) => {
  const session = await sync.stripe.checkoutSession(objectId(event));
  const customerId = idOf(session.customer);
  const claimedAccount = session.client_reference_id ?? session.metadata?.tierlift_account_id ?? null;
  const accountId = await accountForCustomer(
    sync.runner.manager,
    customerId,
    claimedAccount ? { tierlift_account_id: claimedAccount } : null,
  );
  if (!accountId) return { status: 'ignored', reason: `checkout ${session.id} names no known account` };
  if (customerId) await linkCustomer(sync.runner.manager, accountId, customerId);
  const subscriptionId = idOf(session.subscription);
  if (subscriptionId) return fromSync(await syncSubscription(sync, subscriptionId, finish(event.type, session.id)));
  await inTransaction(sync.runner, () =>
    finish(event.type, session.id)(sync.runner.manager, { accountId, changes: [] }),
  );
  return { status: 'processed' };
};

/** Effect recorded when an event's settlement completed or failed a billing operation (target: the operation). */
export const BILLING_SETTLED_EFFECT = 'billing_operation_settled';

/**
 * Lets billing finish the operations waiting on the customer that the event refers to, and
 * records which event did. NOTE: runs before the handler's sync, outside its object lock and
 * transaction (billing calls Stripe and mirrors the subscription under the same lock on its own
 * connection); a throw (Stripe unreachable, the operation leased by a GET or the janitor) fails
 * the event, which is retried, so the operation never waits for the next janitor pass.
 */
async function settleBilling(ctx: HandlerContext): Promise<BillingSettlement[]> {
  const refs = ctx.settleBilling ? billingReferencesOf(ctx.event) : undefined;
  if (!refs || !ctx.settleBilling) return [];
  const settlements = await ctx.settleBilling(refs);
  for (const settled of settlements)
    if (settled.settledNow) await ctx.recordEffect(BILLING_SETTLED_EFFECT, settled.operationId, settled.accountId);
  return settlements;
}

/** Settles waiting billing operations first, then runs the event's own handler. */
const settlingFirst =
  (handler: WebhookHandler): WebhookHandler =>
  async (ctx) => {
    await settleBilling(ctx);
    return handler(ctx);
  };

/** Events whose only use is news of a payment or a Checkout session a billing operation waits on. */
const billingNews: WebhookHandler = async (ctx) => {
  const settlements = await settleBilling(ctx);
  if (settlements.length === 0)
    return { status: 'ignored', reason: `no billing operation waits on ${objectId(ctx.event)}` };
  return { status: 'processed' };
};

/** Event type → handler; a type not listed is stored and marked ignored. */
export const WEBHOOK_HANDLERS: Readonly<Record<string, WebhookHandler>> = {
  'checkout.session.completed': settlingFirst(checkoutCompleted),
  'checkout.session.expired': billingNews,
  'customer.subscription.created': settlingFirst(subscriptionChanged),
  'customer.subscription.updated': settlingFirst(subscriptionChanged),
  'customer.subscription.deleted': subscriptionChanged,
  'customer.subscription.pending_update_applied': settlingFirst(subscriptionChanged),
  'customer.subscription.pending_update_expired': settlingFirst(subscriptionChanged),
  'customer.subscription.trial_will_end': trialWillEnd,
  'invoice.paid': settlingFirst(invoiceChanged),
  'invoice.payment_failed': settlingFirst(invoiceChanged),
  'invoice.payment_action_required': invoiceChanged,
  'charge.refunded': chargeChanged,
  'charge.dispute.created': disputeCreated,
  'payment_intent.succeeded': billingNews,
  'payment_intent.payment_failed': billingNews,
};
