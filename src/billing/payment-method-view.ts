import type { AccountEntity } from '../accounts/account.entity';
import type { Stripe } from '../stripe/stripe-client';
import type { BillingDeps } from './billing-deps';
import { idOf, readLiveSubscription } from './read-subscription-state';

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
export async function paymentMethodOf(deps: BillingDeps, account: AccountEntity): Promise<PaymentMethodView | null> {
  if (!account.stripeCustomerId) return null;
  try {
    const customer = await deps.stripe.customers.retrieve(account.stripeCustomerId);
    if (customer.deleted) return null;
    const live = await readLiveSubscription(deps.stripe, account.stripeCustomerId);
    const id =
      idOf(live?.default_payment_method ?? null) ??
      idOf((customer as Stripe.Customer).invoice_settings.default_payment_method);
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
