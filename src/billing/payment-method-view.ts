import type { AccountEntity } from '../accounts/account.entity';
import type { Stripe } from '../stripe/stripe-client';
import type { BillingDeps } from './billing-deps';
import { idOf } from './read-subscription-state';

/** The card renewals charge, as the billing page shows it (GET /v1/account `payment_method`). */
export interface PaymentMethodView {
  id: string;
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
}

/**
 * The card the next invoice charges: the live subscription's `default_payment_method` (Checkout in
 * subscription mode sets it there, and it wins at renewal), else the customer's
 * `invoice_settings.default_payment_method`; the card update sets both. Read from Stripe.
 * NOTE: a Stripe outage shows no card rather than failing the whole account view.
 */
export async function paymentMethodOf(
  deps: BillingDeps,
  account: AccountEntity,
  /** The mirrored subscription's id and status (GET /v1/account's `subscription`), if any. */
  subscription: { id: string; status: string } | null,
): Promise<PaymentMethodView | null> {
  if (!account.stripeCustomerId) return null;
  const customerId = account.stripeCustomerId;
  try {
    // NOTE: two Stripe reads at most: the mirror names the subscription, so no list is needed.
    const live = subscription && LIVE.has(subscription.status) ? subscription.id : null;
    const fromSubscription = live
      ? idOf((await deps.stripe.subscriptions.retrieve(live)).default_payment_method)
      : null;
    const id =
      fromSubscription ??
      idOf(
        ((await deps.stripe.customers.retrieve(customerId)) as Stripe.Customer).invoice_settings
          ?.default_payment_method,
      );
    if (!id) return null;
    const method = await deps.stripe.paymentMethods.retrieve(id);
    if (!method.card) return null;
    const { brand, last4, exp_month, exp_year } = method.card;
    return { id: method.id, brand, last4, exp_month, exp_year };
  } catch (error) {
    deps.logger.warn('could not read the default payment method', { accountId: account.id, error: String(error) });
    return null;
  }
}

const LIVE = new Set(['trialing', 'active', 'past_due', 'unpaid']);
