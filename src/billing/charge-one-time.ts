import { Stripe } from '../stripe/stripe-client';
import { translateStripeError } from '../stripe/stripe-errors';
import type { BillingDeps } from './billing-deps';
import { callStripe } from './call-stripe';
import type { ChangeOutcome } from './change-outcome';
import { operations, stripeKey, type Operation } from './operation-journal';
import { purchases } from './purchase.repository';
import type { QuoteStripeParams } from './quote-stripe-params';
import { idOf, stripeNow } from './read-subscription-state';

export type OneTimeParams = Extract<QuoteStripeParams, { kind: 'one_time' }>;

const EXPAND = ['payments.data.payment.payment_intent'];

/**
 * One-time add-ons, charged now: invoice items, an invoice that pulls them in, then paying
 * it with the saved card. Each step has its own derived key, so repeating the whole sequence
 * (a client's retry, the janitor) replays what Stripe already did; the invoice id is
 * journalled once known. A card needing 3-D Secure or refused leaves the operation waiting
 * on the customer, with the PaymentIntent's client secret.
 */
export async function chargeOneTime(
  deps: BillingDeps,
  operation: Operation,
  params: OneTimeParams,
): Promise<ChangeOutcome> {
  let invoiceId = operation.stripeObjectId;
  if (!invoiceId) {
    const metadata = { tierlift_operation_id: operation.id, tierlift_account_id: operation.accountId };
    for (const [index, item] of params.items.entries()) {
      await callStripe(deps, operation, () =>
        deps.stripe.invoiceItems.create(
          {
            customer: params.customer,
            currency: params.currency,
            pricing: { price: item.price },
            quantity: item.quantity,
            metadata,
          },
          { idempotencyKey: stripeKey(operation, `item-${index}`) },
        ),
      );
    }
    const created = await callStripe(deps, operation, () =>
      deps.stripe.invoices.create(
        {
          customer: params.customer,
          currency: params.currency,
          pending_invoice_items_behavior: 'include',
          auto_advance: false,
          metadata,
        },
        { idempotencyKey: stripeKey(operation, 'invoice') },
      ),
    );
    invoiceId = created.id;
    await operations.setObject(deps.dataSource, operation.id, invoiceId);
  }
  const id = invoiceId;
  let invoice: Stripe.Invoice = await deps.stripe.invoices.retrieve(id, { expand: EXPAND });
  if (invoice.status === 'draft' || (invoice.status === 'open' && operation.state !== 'awaiting_customer')) {
    invoice = await payInvoice(deps, operation, id);
  }
  if (invoice.status === 'paid') return completeOneTime(deps, operation, params, invoice);
  if (invoice.status === 'open' && operation.state === 'awaiting_customer' && (await abandoned(deps, invoice))) {
    // NOTE: like a pending subscription update (23 h), an unpaid one-time invoice is not left open forever.
    invoice = await deps.stripe.invoices.voidInvoice(id, {}, { idempotencyKey: stripeKey(operation, 'void') });
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
 */
async function payInvoice(deps: BillingDeps, operation: Operation, invoiceId: string): Promise<Stripe.Invoice> {
  await operations.markSent(deps.dataSource, operation.id);
  try {
    return await deps.stripe.invoices.pay(
      invoiceId,
      { expand: EXPAND },
      { idempotencyKey: stripeKey(operation, 'pay') },
    );
  } catch (error) {
    if (error instanceof Stripe.errors.StripeCardError)
      return deps.stripe.invoices.retrieve(invoiceId, { expand: EXPAND });
    await operations.releaseLease(deps.dataSource, operation.id);
    throw translateStripeError(error);
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
  await deps.dataSource.transaction(async (manager) => {
    await purchases.record(manager, {
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
    });
    await operations.complete(manager, operation.id, outcome);
  });
  return outcome;
}
