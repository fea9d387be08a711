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
 * The customer's default card (`invoice_settings.default_payment_method`, which the card update
 * sets together with the subscription's). Read from Stripe: the journal writes nothing here.
 * NOTE: a Stripe outage shows no card rather than failing the whole account view.
 */
export async function paymentMethodOf(deps: BillingDeps, account: AccountEntity): Promise<PaymentMethodView | null> {
  if (!account.stripeCustomerId) return null;
  try {
    const customer = await deps.stripe.customers.retrieve(account.stripeCustomerId);
    if (customer.deleted) return null;
    const id = idOf((customer as Stripe.Customer).invoice_settings.default_payment_method);
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
