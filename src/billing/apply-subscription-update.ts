import type { EntityManager } from 'typeorm';
import { AppError } from '../shared/errors';
import type { Stripe } from '../stripe/stripe-client';
import { definitelyRefused } from '../stripe/stripe-errors';
import type { BillingDeps } from './billing-deps';
import { askStripe, callStripe } from './call-stripe';
import type { ChangeOutcome } from './change-outcome';
import { mirrorSubscription } from './mirror-subscription';
import { operations, type Operation } from './operation-journal';
import { stepKey } from './step-key';
import { purchases } from './purchase.repository';
import type { QuoteStripeParams } from './quote-stripe-params';
import { idOf } from './read-subscription-state';
import { addBundleInvoiceItems, removeBundleInvoiceItems } from './bundle-invoice-items';

export type UpdateParams = Extract<QuoteStripeParams, { kind: 'update' }>;

const EXPAND = ['latest_invoice.payments.data.payment.payment_intent'];

/**
 * Pay-first subscription update: the quote's items at the quote's proration date,
 * invoiced now (`always_invoice`) and applied only if that invoice is paid
 * (`pending_if_incomplete`), so entitlements never move before the money does.
 * A resumed operation first asks Stripe whether the update already happened.
 */
export async function applySubscriptionUpdate(
  deps: BillingDeps,
  operation: Operation,
  params: UpdateParams,
): Promise<ChangeOutcome> {
  if (operation.state === 'awaiting_customer') return checkAwaitingPayment(deps, operation, params);
  let subscription = operation.attempts > 0 ? await visibleChange(deps, operation, params) : undefined;
  if (!subscription && !(await operations.consentHolds(deps.dataSource, operation))) {
    // NOTE: left unsent (or unseen by Stripe) past the consent window: never charged without a new request.
    deps.logger.warn('pay-first update not sent within its consent window; withdrawn', { operationId: operation.id });
    await removeBundleInvoiceItems(deps, operation.id, params.customer);
    const outcome: ChangeOutcome = { status: 'expired' };
    await operations.finish(deps.dataSource.manager, operation.id, 'failed', outcome);
    return outcome;
  }
  try {
    if (!subscription && params.bundle) await addBundleInvoiceItems(deps, operation, params);
    subscription ??= await callStripe(deps, operation, () =>
      deps.stripe.subscriptions.update(
        params.subscription,
        {
          items: params.items,
          proration_behavior: 'always_invoice',
          proration_date: params.proration_date,
          payment_behavior: 'pending_if_incomplete',
          expand: EXPAND,
        },
        { idempotencyKey: stepKey(operation, 'update') },
      ),
    );
  } catch (error) {
    // callStripe fails the operation on a definite refusal and throws it translated (cause: Stripe's).
    if (definitelyRefused(error instanceof AppError ? error.cause : error))
      await removeBundleInvoiceItems(deps, operation.id, params.customer);
    throw error;
  }
  return settleUpdate(deps, operation, params, subscription);
}

/** The subscription as Stripe holds it, when it already shows this update (applied or pending). */
async function visibleChange(
  deps: BillingDeps,
  operation: Operation,
  params: UpdateParams,
): Promise<Stripe.Subscription | undefined> {
  const subscription = await askStripe(deps, operation, () =>
    deps.stripe.subscriptions.retrieve(params.subscription, { expand: EXPAND }),
  );
  const wanted = itemsKey(params.bought.items.map((item) => ({ price: item.price, quantity: item.quantity })));
  const applied = itemsKey(subscription.items.data.map((item) => ({ price: item.price.id, quantity: item.quantity })));
  const pending = subscription.pending_update?.subscription_items;
  const pendingKey = pending
    ? itemsKey(pending.map((item) => ({ price: item.price.id, quantity: item.quantity })))
    : '';
  return applied === wanted || pendingKey === wanted ? subscription : undefined;
}

function itemsKey(items: Array<{ price: string; quantity?: number | null }>): string {
  return items
    .map((item) => `${item.price}×${item.quantity ?? 1}`)
    .sort()
    .join(',');
}

function paymentIntentOf(invoice: Stripe.Invoice | null): Stripe.PaymentIntent | undefined {
  const intent = invoice?.payments?.data[0]?.payment.payment_intent;
  return typeof intent === 'object' && intent !== null ? intent : undefined;
}

async function settleUpdate(
  deps: BillingDeps,
  operation: Operation,
  params: UpdateParams,
  subscription: Stripe.Subscription,
): Promise<ChangeOutcome> {
  const latest = typeof subscription.latest_invoice === 'object' ? subscription.latest_invoice : null;
  // NOTE: an update that invoices nothing (no amount due, a free period) leaves an older invoice as
  // the subscription's latest: that one paid another purchase and is never this update's charge.
  const invoice = latest && latest.created >= params.proration_date ? latest : null;
  // NOTE: judged by this update's own items and invoice, never by "a pending update exists": one
  // left by an earlier, declined change must not turn this paid change into "unpaid".
  // Applied: the purchase and the completion are written in the mirror's own transaction.
  if ((showsItems(subscription, params) && invoice?.status === 'paid') || !subscription.pending_update)
    return completeApplied(deps, operation, params, subscription, invoice, { mirror: true });
  await mirrorSubscription(deps, subscription.id);
  const intent = paymentIntentOf(invoice);
  const outcome: ChangeOutcome = {
    status: intent?.status === 'requires_action' ? 'requires_action' : 'requires_payment_method',
    ...(intent?.client_secret ? { client_secret: intent.client_secret } : {}),
    invoice: invoice?.id,
    amount_due: invoice?.amount_due,
    currency: invoice?.currency,
  };
  if (invoice) await operations.setObject(deps.dataSource, operation.id, invoice.id);
  await operations.finish(deps.dataSource.manager, operation.id, 'awaiting_customer', outcome);
  return outcome;
}

/** Whether the subscription's applied items are exactly the ones this update asked for. */
function showsItems(subscription: Stripe.Subscription, params: UpdateParams): boolean {
  const wanted = itemsKey(params.bought.items.map((item) => ({ price: item.price, quantity: item.quantity })));
  return (
    wanted === itemsKey(subscription.items.data.map((item) => ({ price: item.price.id, quantity: item.quantity })))
  );
}

async function completeApplied(
  deps: BillingDeps,
  operation: Operation,
  params: UpdateParams,
  subscription: Pick<Stripe.Subscription, 'id' | 'currency'>,
  invoice: Stripe.Invoice | null,
  options: { mirror?: boolean } = {},
): Promise<ChangeOutcome> {
  const subscriptionId = subscription.id;
  const intent = paymentIntentOf(invoice);
  // NOTE: no invoice of its own (nothing was due, e.g. in a free period): charged 0, in the subscription's currency.
  const outcome: ChangeOutcome = {
    status: 'applied',
    amount_charged: invoice?.amount_paid ?? 0,
    currency: invoice?.currency ?? subscription.currency,
    invoice: invoice?.id,
  };
  const record = async (manager: EntityManager) => {
    const purchase = {
      accountId: operation.accountId,
      operationId: operation.id,
      kind: params.direction === 'add_ons' ? ('add_on' as const) : ('plan_change' as const),
      bought: params.bought,
      previous: params.previous,
      currency: invoice?.currency ?? subscription.currency,
      amount: invoice?.amount_paid ?? 0,
      stripeSubscriptionId: subscriptionId,
      stripeInvoiceId: invoice?.id ?? null,
      stripePaymentIntentId: intent?.id ?? null,
      stripeChargeId: idOf(intent?.latest_charge),
      paidAt: new Date((invoice?.status_transitions.paid_at ?? params.proration_date) * 1000),
    };
    await purchases.recordAndComplete(manager, purchase, outcome);
  };
  // NOTE: one commit for the mirror, the purchase and the completion; an operation another worker
  // finished first rolls all three back (that worker mirrored). A mirror not written (unknown
  // customer, a second live subscription) still records the purchase, in a transaction of its own.
  if (options.mirror) {
    const synced = await mirrorSubscription(deps, subscriptionId, record);
    if (synced.outcome === 'synced') {
      operation.mirroredHere = synced.row;
      return outcome;
    }
  }
  await deps.dataSource.transaction(record);
  return outcome;
}

/**
 * A pending update waits on 3-D Secure or a new card: paid → applied; voided or expired → failed.
 * NOTE: the subscription is read before the invoice. Paying applies the pending update, so a
 * payment landing between the reads shows as "pending update + invoice paid" (wait; the next look
 * settles it), never as "no pending update + invoice open", which would expire a paid change.
 */
async function checkAwaitingPayment(
  deps: BillingDeps,
  operation: Operation,
  params: UpdateParams,
): Promise<ChangeOutcome> {
  const subscription = await askStripe(deps, operation, () => deps.stripe.subscriptions.retrieve(params.subscription));
  const invoiceId = operation.stripeObjectId;
  const invoice = invoiceId
    ? await askStripe(deps, operation, () =>
        deps.stripe.invoices.retrieve(invoiceId, { expand: ['payments.data.payment.payment_intent'] }),
      )
    : null;
  await mirrorSubscription(deps, subscription.id);
  const decision = awaitingPaymentDecision({
    pendingUpdate: Boolean(subscription.pending_update),
    invoiceStatus: invoice ? invoice.status : null,
  });
  if (decision === 'applied' && !showsItems(subscription, params)) {
    // NOTE: paid, yet Stripe holds other items: never recorded as bought. With the account's lane
    // held from claim to here nothing of ours can cause this; an operator must look (logged).
    deps.logger.error('a paid update is not what the subscription holds', {
      operationId: operation.id,
      invoice: invoice?.id,
    });
    const outcome: ChangeOutcome = { status: 'not_applied', invoice: invoice?.id };
    await operations.finish(deps.dataSource.manager, operation.id, 'failed', outcome);
    return outcome;
  }
  if (decision === 'applied') return completeApplied(deps, operation, params, subscription, invoice);
  if (decision === 'expired') {
    const outcome: ChangeOutcome = { status: 'expired', invoice: invoice?.id };
    await operations.finish(deps.dataSource.manager, operation.id, 'failed', outcome);
    return outcome;
  }
  await operations.releaseLease(deps.dataSource, operation.id);
  return operation.result as ChangeOutcome;
}

/**
 * What a waiting update's snapshot (subscription read first, then its invoice) means. Without the
 * pending update: paid → applied, void/uncollectible (or no invoice) → expired, still open → an
 * inconsistent snapshot, so wait. With it: a void invoice has expired, anything else waits.
 */
export function awaitingPaymentDecision(snapshot: {
  pendingUpdate: boolean;
  invoiceStatus: string | null;
}): 'applied' | 'expired' | 'waiting' {
  const { pendingUpdate, invoiceStatus } = snapshot;
  const dead = invoiceStatus === 'void' || invoiceStatus === 'uncollectible';
  if (dead) return 'expired';
  if (pendingUpdate) return 'waiting';
  if (invoiceStatus === 'paid') return 'applied';
  return invoiceStatus === null ? 'expired' : 'waiting';
}
