import type { EmulatorContext } from '../emulator-context';
import { emitEvent, timeFor } from '../emulator-context';
import type { Customer, Invoice, ListObject, PaymentIntent, Price, Resource, Subscription } from '../resource-types';
import { invalidRequest } from '../stripe-error';
import type { BillingModeRequest } from './billing-mode';
import { createSubscription } from './create-subscription';
import { insertNewCustomer } from './new-customer';
import type { DiscountRequest } from './discounts';
import { invoicePaymentIntent } from './invoice-collection';
import { attachPaymentMethod } from './payment-methods';
import { confirmPaymentIntent, createPaymentIntent, succeedPaymentIntent } from './payment-intents';
import { settlePaymentIntent } from './settle-payment-intent';
import { succeededSetupIntent } from './setup-intents';
import { incompletePaymentError } from './update-subscription';

export interface CheckoutSession extends Resource {
  object: 'checkout.session';
  mode: 'payment' | 'subscription' | 'setup';
  status: 'open' | 'complete' | 'expired';
  customer: string | null;
  customer_email: string | null;
  currency: string;
  amount_total: number;
  success_url: string | null;
  cancel_url: string | null;
  metadata: Record<string, string>;
  line_items: ListObject<Resource & { price: { id: string }; quantity: number }>;
  subscription_data: {
    metadata?: Record<string, string>;
    trial_period_days?: number;
    description?: string;
    billing_mode?: BillingModeRequest;
  } | null;
  discounts: DiscountRequest[];
}

function ensureCustomer(context: EmulatorContext, session: CheckoutSession): Customer {
  if (session.customer) return context.store.require<Customer>('customer', session.customer, 'customer');
  const customer = insertNewCustomer(context, { email: session.customer_email });
  emitEvent(context, 'customer.created', customer);
  return customer;
}

/** NOTE: the cardholder is on the page, so a 3-D Secure challenge is answered there and then. */
function authenticateInPage(context: EmulatorContext, paymentIntent: PaymentIntent): void {
  if (paymentIntent.status !== 'requires_action' || !paymentIntent.payment_method) return;
  succeedPaymentIntent(context, paymentIntent, paymentIntent.payment_method);
  settlePaymentIntent(context, paymentIntent);
}

/** The customer pays on the hosted page: subscription or one-off payment, then `checkout.session.completed`. */
export function completeCheckout(context: EmulatorContext, session: CheckoutSession, testCard: string): void {
  if (session.status !== 'open')
    throw invalidRequest(`This Checkout Session is ${session.status}.`, { code: 'checkout_session_not_open' });
  const customer = ensureCustomer(context, session);
  const paymentMethod = attachPaymentMethod(context, testCard, customer.id, 'payment_method');
  const items = session.line_items.data.map((item) => ({ price: item.price.id, quantity: item.quantity }));
  if (session.mode === 'setup') {
    const intent = succeededSetupIntent(context, {
      customer: customer.id,
      paymentMethod: paymentMethod.id,
      metadata: session.metadata,
    });
    session.setup_intent = intent.id;
  } else if (session.mode === 'subscription') {
    // NOTE: in subscription mode, one-time prices go on the first invoice only (Stripe Checkout).
    const recurring = items.filter((item) => context.store.require<Price>('price', item.price).recurring);
    const oneTime = items.filter((item) => !context.store.require<Price>('price', item.price).recurring);
    // NOTE: Checkout in subscription mode saves the card as the subscription's default_payment_method
    // only; the customer's invoice_settings.default_payment_method is left as it was
    // (docs.stripe.com/payments/checkout/save-during-payment, STRIPE.md).
    const subscription: Subscription = createSubscription(context, {
      customer: customer.id,
      items: recurring,
      add_invoice_items: oneTime,
      default_payment_method: paymentMethod.id,
      metadata: session.subscription_data?.metadata,
      trial_period_days: session.subscription_data?.trial_period_days,
      description: session.subscription_data?.description,
      billing_mode: session.subscription_data?.billing_mode,
      discounts: session.discounts,
      currency: session.currency,
    });
    const invoice = context.store.require<Invoice>('invoice', subscription.latest_invoice ?? '');
    const paymentIntentId = context.store.internal.invoicePaymentIntents[invoice.id];
    const paymentIntent = paymentIntentId ? invoicePaymentIntent(context, invoice, null) : undefined;
    if (paymentIntent) authenticateInPage(context, paymentIntent);
    if (paymentIntent?.status === 'requires_payment_method') throw incompletePaymentError('declined');
    Object.assign(session, { subscription: subscription.id, invoice: invoice.id });
  } else {
    const paymentIntent = createPaymentIntent(context, {
      amount: session.amount_total,
      currency: session.currency,
      customer: customer.id,
      paymentMethod: paymentMethod.id,
      metadata: session.metadata,
    });
    confirmPaymentIntent(context, paymentIntent, paymentMethod.id);
    authenticateInPage(context, paymentIntent);
    if (paymentIntent.status !== 'succeeded') throw incompletePaymentError('declined');
    session.payment_intent = paymentIntent.id;
  }
  Object.assign(session, {
    customer: customer.id,
    status: 'complete',
    payment_status: session.mode === 'setup' ? 'no_payment_required' : 'paid',
    customer_details: { email: customer.email, name: customer.name },
  });
  emitEvent(context, 'checkout.session.completed', session, { at: timeFor(context, customer.id) });
}

export function expireCheckout(context: EmulatorContext, session: CheckoutSession): void {
  if (session.status !== 'open')
    throw invalidRequest(
      `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`,
    );
  session.status = 'expired';
  emitEvent(context, 'checkout.session.expired', session);
}
