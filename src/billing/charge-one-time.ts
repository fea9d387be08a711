import { Stripe } from '../stripe/stripe-client';
import type { BillingDeps } from './billing-deps';
import { callStripe } from './call-stripe';
import type { ChangeOutcome } from './change-outcome';
import { operations, stripeKey, type Operation } from './operation-journal';
import { stepKey } from './step-key';
import { purchases } from './purchase.repository';
import type { QuoteStripeParams } from './quote-stripe-params';
import { idOf, readLiveSubscription, stripeNow } from './read-subscription-state';

export type OneTimeParams = Extract<QuoteStripeParams, { kind: 'one_time' }>;

/** Runs (each run has an operation object of its own) that have journalled `sent` already. */
const sentInThisRun = new WeakSet<Operation>();

/**
 * One Stripe step of this run. The run's steps follow each other with nothing ending or parking
 * the operation between them (that comes after the last), so the `sent` written before the first
 * covers the rest: one journal write per run, not per step. NOTE: `attempts` then counts runs,
 * which is what step-key.ts derives a resumed run's keys from.
 */
function sendStep<T>(deps: BillingDeps, operation: Operation, call: () => Promise<T>): Promise<T> {
  const journalled = sentInThisRun.has(operation);
  sentInThisRun.add(operation);
  return callStripe(deps, operation, call, { journalled });
}

const EXPAND = ['payments.data.payment.payment_intent'];

/**
 * One-time add-ons, charged now: invoice items, an invoice that pulls them in, then paying
 * it with the saved card. Each step has its own derived key, so repeating the whole sequence
 * (a client's retry, the janitor) replays what Stripe already did; the invoice id is
 * journalled once known. A card needing 3-D Secure or refused leaves the operation waiting
 * on the customer, with the PaymentIntent's client secret. Any other refusal ends the operation
 * as failed and withdraws what it left in Stripe; so does an operation found unpaid once the
 * customer's consent has lapsed.
 */
export async function chargeOneTime(
  deps: BillingDeps,
  operation: Operation,
  params: OneTimeParams,
): Promise<ChangeOutcome> {
  try {
    if (operation.state !== 'awaiting_customer' && !(await operations.consentHolds(deps.dataSource, operation)))
      return await settleWithoutPaying(deps, operation, params);
    return await charge(deps, operation, params);
  } catch (error) {
    // NOTE: callStripe ended the operation as failed on a definite refusal: its items and invoice must go.
    const after = await operations.find(deps.dataSource, operation.id);
    if (after?.state === 'failed') await withdrawOneTime(deps, after, params.customer);
    throw error;
  }
}

async function charge(deps: BillingDeps, operation: Operation, params: OneTimeParams): Promise<ChangeOutcome> {
  const id = operation.stripeObjectId ?? (await createInvoice(deps, operation, params));
  let invoice: Stripe.Invoice = await deps.stripe.invoices.retrieve(id, { expand: EXPAND });
  if (invoice.status === 'draft' || (invoice.status === 'open' && operation.state !== 'awaiting_customer')) {
    invoice = await payInvoice(deps, operation, id, params.customer);
  }
  if (invoice.status === 'paid') return completeOneTime(deps, operation, params, invoice);
  if (invoice.status === 'open' && operation.state === 'awaiting_customer' && (await abandoned(deps, invoice))) {
    // NOTE: like a pending subscription update (23 h), an unpaid one-time invoice is not left open forever.
    invoice = await deps.stripe.invoices.voidInvoice(id, {}, { idempotencyKey: stepKey(operation, 'void') });
  }
  if (invoice.status === 'void' || invoice.status === 'uncollectible') {
    const outcome: ChangeOutcome = { status: 'expired', invoice: invoice.id };
    await operations.finish(deps.dataSource.manager, operation.id, 'failed', outcome);
    return outcome;
  }
  const intent = invoice.payments?.data[0]?.payment.payment_intent;
  const paymentIntent = typeof intent === 'object' && intent !== null ? intent : undefined;
  const outcome: ChangeOutcome = {
    status: paymentIntent?.status === 'requires_action' ? 'requires_action' : 'requires_payment_method',
    ...(paymentIntent?.client_secret ? { client_secret: paymentIntent.client_secret } : {}),
    invoice: invoice.id,
    amount_due: invoice.amount_due,
    currency: invoice.currency,
  };
  await operations.finish(deps.dataSource.manager, operation.id, 'awaiting_customer', outcome);
  return outcome;
}

/** The invoice items, then the draft invoice that takes them in; the invoice id is journalled. */
async function createInvoice(deps: BillingDeps, operation: Operation, params: OneTimeParams): Promise<string> {
  const metadata = { tierlift_operation_id: operation.id, tierlift_account_id: operation.accountId };
  // NOTE: a resumed run first asks Stripe what the earlier one made (found by metadata), since it
  // sends the rest under keys of its own (step-key.ts).
  const found = operation.attempts > 0 ? await findInvoice(deps, operation, params.customer) : undefined;
  if (found) {
    await operations.setObject(deps.dataSource, operation.id, found.id);
    return found.id;
  }
  const made = operation.attempts > 0 ? await pendingItemIndexes(deps, operation, params.customer) : new Set();
  for (const [index, item] of params.items.entries()) {
    if (made.has(String(index))) continue;
    await sendStep(deps, operation, () =>
      deps.stripe.invoiceItems.create(
        {
          customer: params.customer,
          currency: params.currency,
          pricing: { price: item.price },
          quantity: item.quantity,
          metadata: { ...metadata, tierlift_item_index: String(index) },
        },
        { idempotencyKey: stepKey(operation, `item-${index}`) },
      ),
    );
  }
  const created = await sendStep(deps, operation, () =>
    deps.stripe.invoices.create(
      {
        customer: params.customer,
        currency: params.currency,
        pending_invoice_items_behavior: 'include',
        auto_advance: false,
        metadata,
      },
      { idempotencyKey: stepKey(operation, 'invoice') },
    ),
  );
  await operations.setObject(deps.dataSource, operation.id, created.id);
  return created.id;
}

async function pendingItemIndexes(deps: BillingDeps, operation: Operation, customer: string): Promise<Set<string>> {
  const pending = await deps.stripe.invoiceItems.list({ customer, pending: true, limit: 100 });
  return new Set(
    pending.data
      .filter((item) => item.metadata?.tierlift_operation_id === operation.id)
      .map((item) => item.metadata?.tierlift_item_index ?? ''),
  );
}

const ABANDONED_AFTER_SECONDS = 23 * 3600;

/** Measured in Stripe's time for the customer (a test clock's frozen time included). */
async function abandoned(deps: BillingDeps, invoice: Stripe.Invoice): Promise<boolean> {
  const customerId = idOf(invoice.customer);
  if (!customerId) return false;
  const customer = (await deps.stripe.customers.retrieve(customerId)) as Stripe.Customer;
  return invoice.created + ABANDONED_AFTER_SECONDS < (await stripeNow(deps.stripe, customer, deps.clock.now()));
}

/**
 * Pays the invoice. NOTE: Stripe answers a declined card or one needing authentication with a
 * 402; the invoice then stays open with its PaymentIntent, which is what the customer finishes.
 * Any other 4xx (no card left to charge, an invoice that cannot be paid) is a definite refusal:
 * callStripe ends the operation as failed rather than leaving it `sent` for someone to pay later.
 */
async function payInvoice(
  deps: BillingDeps,
  operation: Operation,
  invoiceId: string,
  customerId: string,
): Promise<Stripe.Invoice> {
  const card = await subscriptionCard(deps, customerId);
  const paid = await sendStep(deps, operation, async () => {
    try {
      return await deps.stripe.invoices.pay(
        invoiceId,
        { expand: EXPAND, ...(card ? { payment_method: card } : {}) },
        { idempotencyKey: stepKey(operation, 'pay') },
      );
    } catch (error) {
      if (error instanceof Stripe.errors.StripeCardError || alreadyPaid(error)) return undefined;
      throw error;
    }
  });
  return paid ?? deps.stripe.invoices.retrieve(invoiceId, { expand: EXPAND });
}

/**
 * The card to pay with when the customer has no default one: the live subscription's. NOTE: Checkout
 * saves the card as the subscription's default_payment_method only (STRIPE.md), and a one-off
 * invoice falls back to the customer's default, so after a Checkout signup the card is named here.
 */
async function subscriptionCard(deps: BillingDeps, customerId: string): Promise<string | null> {
  const customer = await deps.stripe.customers.retrieve(customerId);
  if (customer.deleted || customer.invoice_settings?.default_payment_method) return null;
  return idOf((await readLiveSubscription(deps.stripe, customerId))?.default_payment_method ?? null);
}

const alreadyPaid = (error: unknown) =>
  error instanceof Stripe.errors.StripeInvalidRequestError && error.code === 'invoice_already_paid';

/**
 * An operation no one may pay any more (its consent lapsed while it was left claimed or sent):
 * what Stripe already collected completes it; anything else is withdrawn and it ends expired.
 */
async function settleWithoutPaying(
  deps: BillingDeps,
  operation: Operation,
  params: OneTimeParams,
): Promise<ChangeOutcome> {
  const invoice = await findInvoice(deps, operation, params.customer);
  if (invoice?.status === 'paid') {
    const expanded = await deps.stripe.invoices.retrieve(invoice.id, { expand: EXPAND });
    return completeOneTime(deps, operation, params, expanded);
  }
  const outcome: ChangeOutcome = { status: 'expired', ...(invoice ? { invoice: invoice.id } : {}) };
  // NOTE: withdrawn while the operation still holds the account's lane: no change can start (and
  // bill the items) between the withdrawal and the end. A withdrawal that fails keeps the lane for
  // the next janitor run.
  if (!(await withdrawOneTime(deps, operation, params.customer))) {
    await operations.releaseLease(deps.dataSource, operation.id);
    return (operation.result ?? { status: 'in_progress' }) as ChangeOutcome;
  }
  const finished = await operations.finish(deps.dataSource.manager, operation.id, 'failed', outcome);
  if (!finished) return ((await operations.find(deps.dataSource, operation.id))?.result ?? outcome) as ChangeOutcome;
  deps.logger.warn('one-time purchase left unpaid past its consent window; withdrawn', { operationId: operation.id });
  return outcome;
}

/** The operation's invoice: the journalled one, else the one its metadata names (a crash before journalling). */
async function findInvoice(
  deps: BillingDeps,
  operation: Pick<Operation, 'id' | 'stripeObjectId'>,
  customer: string,
): Promise<Stripe.Invoice | undefined> {
  if (operation.stripeObjectId) return deps.stripe.invoices.retrieve(operation.stripeObjectId);
  const invoices = await deps.stripe.invoices.list({ customer, limit: 100 });
  return invoices.data.find((invoice) => invoice.metadata?.tierlift_operation_id === operation.id);
}

/**
 * The compensation of a one-time purchase that ended failed: its unpaid invoice is deleted (a
 * draft) or voided (open), and its invoice items still pending are deleted, so that no later
 * invoice (the next renewal, another purchase) bills them. Idempotent and best effort: a failure
 * is logged and the janitor's `removeFailedOneTimeItems` repeats it until `withdrawn_at` is set.
 * NOTE: docs.stripe.com/api/invoices/delete (one-off drafts only) and /api/invoiceitems/delete.
 */
export async function withdrawOneTime(
  deps: BillingDeps,
  operation: Pick<Operation, 'id' | 'stripeObjectId'>,
  customer: string,
): Promise<boolean> {
  try {
    const invoice = await findInvoice(deps, operation, customer);
    if (invoice?.status === 'draft') await deps.stripe.invoices.del(invoice.id);
    if (invoice?.status === 'open')
      await deps.stripe.invoices.voidInvoice(invoice.id, {}, { idempotencyKey: stripeKey(operation, 'void') });
    if (invoice?.status === 'paid')
      deps.logger.error('a failed one-time purchase has a paid invoice', { operationId: operation.id });
    const pending = await deps.stripe.invoiceItems.list({ customer, pending: true, limit: 100 });
    for (const item of pending.data)
      if (item.metadata?.tierlift_operation_id === operation.id) await deps.stripe.invoiceItems.del(item.id);
    await deps.dataSource.query('UPDATE billing_operations SET withdrawn_at = now() WHERE id = $1', [operation.id]);
    return true;
  } catch (error) {
    deps.logger.error("could not withdraw a failed one-time purchase's invoice and items", {
      operationId: operation.id,
      error: String(error),
    });
    return false;
  }
}

async function completeOneTime(
  deps: BillingDeps,
  operation: Operation,
  params: OneTimeParams,
  invoice: Stripe.Invoice,
): Promise<ChangeOutcome> {
  const intent = invoice.payments?.data[0]?.payment.payment_intent;
  const paymentIntent = typeof intent === 'object' && intent !== null ? intent : undefined;
  const outcome: ChangeOutcome = {
    status: 'applied',
    amount_charged: invoice.amount_paid,
    currency: invoice.currency,
    invoice: invoice.id,
  };
  // NOTE: the purchase and the completion are one statement (no transaction of their own needed).
  await purchases.recordAndComplete(
    deps.dataSource.manager,
    {
      accountId: operation.accountId,
      operationId: operation.id,
      kind: 'one_time',
      bought: params.bought,
      previous: {},
      currency: invoice.currency,
      amount: invoice.amount_paid,
      stripeSubscriptionId: null,
      stripeInvoiceId: invoice.id,
      stripePaymentIntentId: paymentIntent?.id ?? (typeof intent === 'string' ? intent : null),
      stripeChargeId: idOf(paymentIntent?.latest_charge),
      paidAt: new Date((invoice.status_transitions.paid_at ?? invoice.created) * 1000),
    },
    outcome,
  );
  return outcome;
}
