import type { Stripe } from '../stripe/stripe-client';
import { accountForCustomer, linkCustomer } from './customer-accounts';
import { inTransaction } from './object-lock';
import { idOf } from './stripe-ids';
import { syncCharge } from './sync-charge';
import { syncInvoice } from './sync-invoice';
import { syncSubscription } from './sync-subscription';
import type { InSyncTransaction, SyncContext, SyncResult } from './sync-context';

export interface HandlerContext {
  sync: SyncContext;
  event: Stripe.Event;
  /** The step that records this event's effect and marks it processed, in the state change's transaction. */
  finish(effect: string, targetId: string | null): InSyncTransaction;
}

export type HandlerResult = { status: 'processed' } | { status: 'ignored'; reason: string };
export type WebhookHandler = (ctx: HandlerContext) => Promise<HandlerResult>;

const objectId = (event: Stripe.Event): string => String((event.data.object as { id?: unknown }).id ?? '');

function fromSync(result: SyncResult): HandlerResult {
  if (result.outcome === 'synced') return { status: 'processed' };
  return { status: 'ignored', reason: `unknown customer ${result.customerId ?? '(none)'} for ${result.id}` };
}

const subscriptionChanged: WebhookHandler = async ({ sync, event, finish }) => {
  const id = objectId(event);
  return fromSync(await syncSubscription(sync, id, finish(event.type, id)));
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

/** Event type → handler; a type not listed is stored and marked ignored. */
export const WEBHOOK_HANDLERS: Readonly<Record<string, WebhookHandler>> = {
  'checkout.session.completed': checkoutCompleted,
  'customer.subscription.created': subscriptionChanged,
  'customer.subscription.updated': subscriptionChanged,
  'customer.subscription.deleted': subscriptionChanged,
  'customer.subscription.pending_update_applied': subscriptionChanged,
  'customer.subscription.pending_update_expired': subscriptionChanged,
  'customer.subscription.trial_will_end': subscriptionChanged,
  'invoice.paid': invoiceChanged,
  'invoice.payment_failed': invoiceChanged,
  'invoice.payment_action_required': invoiceChanged,
  'charge.refunded': chargeChanged,
  'charge.dispute.created': disputeCreated,
};
