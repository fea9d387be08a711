import type { Stripe } from '../stripe/stripe-client';
import type { BillingDeps } from './billing-deps';
import { callStripe } from './call-stripe';
import type { ChangeOutcome } from './change-outcome';
import { mirrorSubscription } from './mirror-subscription';
import { operations, type Operation } from './operation-journal';
import { stepKey } from './step-key';
import { translateStripeError } from '../stripe/stripe-errors';
import { purchases } from './purchase.repository';
import { BILLING_MODE, type QuoteStripeParams } from './quote-stripe-params';
import { idOf } from './read-subscription-state';
import { trials } from '../lifecycle/trials.repository';
import { reverseTrials } from '../lifecycle/reverse-trials.repository';
import { convertCheckoutRecovery } from '../lifecycle/checkout-recovery';

/** A quote's Checkout parameters, with the return URLs the change asked for (absent: the service's default). */
export type CheckoutParams = Extract<QuoteStripeParams, { kind: 'checkout' }> & {
  success_url?: string;
  cancel_url?: string;
};

/**
 * Free → paid: a Stripe Checkout Session for the quoted items; the customer pays there.
 * Completion arrives by webhook (`checkout.session.completed`, handled by the webhooks
 * module, which mirrors the new subscription and calls `settleFromStripe`); this operation
 * waits as `awaiting_customer` until that webhook, a GET or the janitor finds the session
 * complete and records the purchase.
 */
export async function openCheckout(
  deps: BillingDeps,
  operation: Operation,
  params: CheckoutParams,
): Promise<ChangeOutcome> {
  if (operation.state === 'awaiting_customer' && operation.stripeObjectId)
    return checkCheckout(deps, operation, params, operation.stripeObjectId);
  const metadata = { tierlift_account_id: operation.accountId, tierlift_operation_id: operation.id };
  // NOTE: a resumed run first looks for the session an earlier run made (its answer lost, or a 500
  // Stripe saved under the first key), then sends under a key of its own run (step-key.ts).
  const made = operation.attempts > 0 ? await sessionOf(deps, operation, params.customer) : undefined;
  const session =
    made ??
    (await callStripe(deps, operation, () =>
      deps.stripe.checkout.sessions.create(
        {
          mode: params.mode ?? 'subscription',
          customer: params.customer,
          currency: params.currency,
          line_items: params.line_items,
          client_reference_id: operation.accountId,
          success_url: params.success_url ?? deps.checkoutReturnUrl,
          cancel_url: params.cancel_url ?? deps.checkoutReturnUrl,
          metadata,
          ...(params.discounts ? { discounts: params.discounts } : {}),
          ...(params.mode === 'payment'
            ? { payment_intent_data: { metadata } }
            : {
                subscription_data: {
                  metadata,
                  billing_mode: BILLING_MODE,
                  ...(params.trial_period_days ? { trial_period_days: params.trial_period_days } : {}),
                },
              }),
        },
        { idempotencyKey: stepKey(operation, 'checkout') },
      ),
    ));
  const outcome: ChangeOutcome = { status: 'checkout_required', checkout_url: session.url ?? undefined };
  await operations.setObject(deps.dataSource, operation.id, session.id);
  await operations.finish(deps.dataSource.manager, operation.id, 'awaiting_customer', outcome);
  return outcome;
}

async function sessionOf(
  deps: BillingDeps,
  operation: Operation,
  customer: string,
): Promise<Stripe.Checkout.Session | undefined> {
  try {
    const sessions = await deps.stripe.checkout.sessions.list({ customer, limit: 100 });
    return sessions.data.find((session) => session.metadata?.tierlift_operation_id === operation.id);
  } catch (error) {
    await operations.releaseLease(deps.dataSource, operation.id);
    throw translateStripeError(error);
  }
}

async function checkCheckout(
  deps: BillingDeps,
  operation: Operation,
  params: CheckoutParams,
  sessionId: string,
): Promise<ChangeOutcome> {
  const session = await deps.stripe.checkout.sessions.retrieve(sessionId, { expand: ['subscription'] });
  if (session.status === 'expired') {
    const outcome: ChangeOutcome = { status: 'expired' };
    await operations.finish(deps.dataSource.manager, operation.id, 'failed', outcome);
    return outcome;
  }
  const subscription = session.subscription as Stripe.Subscription | null;
  if (session.status !== 'complete') {
    await operations.releaseLease(deps.dataSource, operation.id);
    return operation.result as ChangeOutcome;
  }
  if (!subscription) return completePayment(deps, operation, params, session);
  await mirrorSubscription(deps, subscription.id);
  // NOTE: the purchase is the session's own first invoice (`session.invoice`), never the subscription's
  // latest one: by the time a GET or the janitor gets here, a later change or a renewal may have
  // invoiced the subscription again. Stripe expands at most 4 levels, so it is read on its own.
  const invoiceId = idOf(session.invoice);
  const invoice = invoiceId
    ? await deps.stripe.invoices.retrieve(invoiceId, { expand: ['payments.data.payment.payment_intent'] })
    : null;
  const intent = invoice?.payments?.data[0]?.payment.payment_intent;
  const paymentIntent = typeof intent === 'object' && intent !== null ? intent : undefined;
  const outcome: ChangeOutcome = {
    status: 'applied',
    amount_charged: invoice?.amount_paid ?? session.amount_total ?? 0,
    currency: session.currency ?? params.currency,
    invoice: invoice?.id,
  };
  await deps.dataSource.transaction(async (manager) => {
    await purchases.record(manager, {
      accountId: operation.accountId,
      operationId: operation.id,
      kind: 'subscription_start',
      bought: params.bought,
      previous: { plan: 'free', items: [] },
      currency: outcome.currency ?? params.currency,
      amount: outcome.amount_charged ?? 0,
      stripeSubscriptionId: subscription.id,
      stripeInvoiceId: invoice?.id ?? null,
      stripePaymentIntentId: paymentIntent?.id ?? null,
      stripeChargeId: idOf(paymentIntent?.latest_charge),
      paidAt: new Date((invoice?.status_transitions.paid_at ?? session.created) * 1000),
    });
    await convertCheckoutRecovery(manager, {
      accountId: operation.accountId,
      operationId: operation.id,
      paidAt: deps.clock.now(),
    });
    // A paid plan bought during a reverse trial converts it (issue #20).
    await reverseTrials.convert(manager, operation.accountId, deps.clock.now());
    if (params.trial_period_days && subscription.trial_start && subscription.trial_end)
      await trials.start(manager, {
        accountId: operation.accountId,
        planCode: params.bought.plan,
        kind: 'trial',
        startedAt: new Date(subscription.trial_start * 1000),
        endsAt: new Date(subscription.trial_end * 1000),
        stripeSubscriptionId: subscription.id,
      });
    await operations.complete(manager, operation.id, outcome);
  });
  return outcome;
}

/** A one-time purchase paid in Checkout (mode payment): the PaymentIntent is the record of the charge. */
async function completePayment(
  deps: BillingDeps,
  operation: Operation,
  params: CheckoutParams,
  session: Stripe.Checkout.Session,
): Promise<ChangeOutcome> {
  const paymentIntentId = idOf(session.payment_intent);
  const paymentIntent = paymentIntentId ? await deps.stripe.paymentIntents.retrieve(paymentIntentId) : null;
  const outcome: ChangeOutcome = {
    status: 'applied',
    amount_charged: paymentIntent?.amount_received ?? session.amount_total ?? 0,
    currency: session.currency ?? params.currency,
  };
  await purchases.recordAndComplete(
    deps.dataSource.manager,
    {
      accountId: operation.accountId,
      operationId: operation.id,
      kind: 'one_time',
      bought: params.bought,
      previous: {},
      currency: outcome.currency ?? params.currency,
      amount: outcome.amount_charged ?? 0,
      stripeSubscriptionId: null,
      stripeInvoiceId: idOf(session.invoice),
      stripePaymentIntentId: paymentIntentId,
      stripeChargeId: idOf(paymentIntent?.latest_charge),
      paidAt: new Date(session.created * 1000),
    },
    outcome,
  );
  return outcome;
}
