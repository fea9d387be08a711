import type { Stripe } from '../stripe/stripe-client';
import type { BillingDeps } from './billing-deps';
import { askStripe, callStripe } from './call-stripe';
import type { ChangeOutcome } from './change-outcome';
import { mirrorSubscription } from './mirror-subscription';
import { operations, type Operation } from './operation-journal';
import { idOf, readLiveSubscription } from './read-subscription-state';
import { stepKey } from './step-key';

/** What a `payment_method` operation was claimed with (POST /v1/payment-method/sessions). */
export interface PaymentMethodParams {
  customer: string;
  /** Setup mode needs a currency to pick payment methods: the account's billing currency. */
  currency: string;
  success_url: string;
  cancel_url: string;
}

/**
 * The card update: a Checkout Session in setup mode (docs.stripe.com/payments/save-and-reuse,
 * Checkout), waiting on the customer as `awaiting_customer`. Completing it saves the card but makes
 * it nobody's default (Stripe leaves that to the integration), so once the session is complete —
 * found by `checkout.session.completed`, a retry or the janitor, whoever holds the lease — the
 * SetupIntent's card becomes the customer's `invoice_settings.default_payment_method` AND the live
 * subscription's `default_payment_method` (Checkout in subscription mode set one there, and the
 * subscription's wins at renewal). Each step goes through the journal under a derived key; the
 * operation then completes, so a replayed event finds nothing waiting and changes nothing.
 */
export async function updatePaymentMethod(
  deps: BillingDeps,
  operation: Operation,
  params: PaymentMethodParams,
): Promise<ChangeOutcome> {
  if (operation.stripeObjectId) return checkSetup(deps, operation, params, operation.stripeObjectId);
  const metadata = { tierlift_account_id: operation.accountId, tierlift_operation_id: operation.id };
  // NOTE: a resumed run first looks for the session an earlier run made (step-key.ts).
  const made = operation.attempts > 0 ? await sessionOf(deps, operation, params.customer) : undefined;
  const session =
    made ??
    (await callStripe(deps, operation, () =>
      deps.stripe.checkout.sessions.create(
        {
          mode: 'setup',
          customer: params.customer,
          currency: params.currency,
          client_reference_id: operation.accountId,
          success_url: params.success_url,
          cancel_url: params.cancel_url,
          metadata,
        },
        { idempotencyKey: stepKey(operation, 'setup-session') },
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
  const sessions = await askStripe(deps, operation, () => deps.stripe.checkout.sessions.list({ customer, limit: 100 }));
  return sessions.data.find((session) => session.metadata?.tierlift_operation_id === operation.id);
}

async function checkSetup(
  deps: BillingDeps,
  operation: Operation,
  params: PaymentMethodParams,
  sessionId: string,
): Promise<ChangeOutcome> {
  const session = await askStripe(deps, operation, () =>
    deps.stripe.checkout.sessions.retrieve(sessionId, { expand: ['setup_intent'] }),
  );
  if (session.status === 'expired') {
    const outcome: ChangeOutcome = { status: 'expired' };
    await operations.finish(deps.dataSource.manager, operation.id, 'failed', outcome);
    return outcome;
  }
  if (session.status !== 'complete') {
    await operations.releaseLease(deps.dataSource, operation.id);
    return operation.result as ChangeOutcome;
  }
  const intent = session.setup_intent as Stripe.SetupIntent | null;
  const paymentMethod = idOf(intent?.payment_method ?? null);
  if (!paymentMethod) {
    const outcome: ChangeOutcome = { status: 'not_applied', reason: 'no_payment_method' };
    await operations.finish(deps.dataSource.manager, operation.id, 'failed', outcome);
    return outcome;
  }
  await callStripe(deps, operation, () =>
    deps.stripe.customers.update(
      params.customer,
      { invoice_settings: { default_payment_method: paymentMethod } },
      { idempotencyKey: stepKey(operation, 'customer-default') },
    ),
  );
  const live = await askStripe(deps, operation, () => readLiveSubscription(deps.stripe, params.customer));
  if (live) {
    await callStripe(deps, operation, () =>
      deps.stripe.subscriptions.update(
        live.id,
        { default_payment_method: paymentMethod },
        { idempotencyKey: stepKey(operation, 'subscription-default') },
      ),
    );
    await mirrorSubscription(deps, live.id);
  }
  const outcome = { status: 'applied', payment_method: paymentMethod, subscription: live?.id ?? null };
  await operations.complete(deps.dataSource.manager, operation.id, outcome);
  return outcome as ChangeOutcome;
}
