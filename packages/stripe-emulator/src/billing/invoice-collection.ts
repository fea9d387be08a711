import type { EmulatorContext } from '../emulator-context';
import { emitEvent } from '../emulator-context';
import { newId } from '../ids';
import type { Invoice, PaymentIntent, Resource } from '../resource-types';
import { confirmPaymentIntent, createPaymentIntent } from './payment-intents';

export type CollectionOutcome = 'paid' | 'declined' | 'requires_action' | 'requires_payment_method';

/** The PaymentIntent an invoice collects through, created on first use (with its invoice_payment). */
export function invoicePaymentIntent(
  context: EmulatorContext,
  invoice: Invoice,
  paymentMethodId: string | null,
): PaymentIntent {
  const existingId = context.store.internal.invoicePaymentIntents[invoice.id];
  const existing = existingId ? context.store.find<PaymentIntent>('payment_intent', existingId) : undefined;
  if (existing) return existing;
  const paymentIntent = createPaymentIntent(context, {
    amount: invoice.amount_due,
    currency: invoice.currency,
    customer: invoice.customer,
    paymentMethod: paymentMethodId,
    description:
      invoice.billing_reason === 'subscription_create'
        ? 'Subscription creation'
        : invoice.billing_reason === 'subscription_update'
          ? 'Subscription update'
          : 'Subscription renewal',
  });
  context.store.internal.invoicePaymentIntents[invoice.id] = paymentIntent.id;
  context.store.internal.paymentIntentInvoices[paymentIntent.id] = invoice.id;
  const invoicePayment: Resource = {
    id: newId('inpay'),
    object: 'invoice_payment',
    amount_paid: null,
    amount_requested: invoice.amount_due,
    created: paymentIntent.created,
    currency: invoice.currency,
    invoice: invoice.id,
    is_default: true,
    livemode: false,
    payment: { type: 'payment_intent', payment_intent: paymentIntent.id },
    status: 'open',
    status_transitions: { canceled_at: null, paid_at: null },
  };
  context.store.insert(invoicePayment);
  return paymentIntent;
}

/** Charges an open invoice off-session; `confirm: false` leaves the PaymentIntent for the client (default_incomplete). */
export function collectInvoice(
  context: EmulatorContext,
  invoice: Invoice,
  input: { paymentMethodId: string | null; confirm: boolean; at: number },
): CollectionOutcome {
  if (invoice.status === 'paid') return 'paid';
  if (invoice.amount_due === 0) {
    markInvoicePaid(context, invoice, input.at);
    return 'paid';
  }
  const paymentIntent = invoicePaymentIntent(context, invoice, input.paymentMethodId);
  if (!input.confirm || !(input.paymentMethodId ?? paymentIntent.payment_method)) return 'requires_payment_method';
  confirmPaymentIntent(context, paymentIntent, input.paymentMethodId);
  return settleInvoicePayment(context, invoice, paymentIntent, input.at);
}

/** Mirrors a PaymentIntent's result onto its invoice, with the invoice events Stripe sends. */
export function settleInvoicePayment(
  context: EmulatorContext,
  invoice: Invoice,
  paymentIntent: PaymentIntent,
  at: number,
): CollectionOutcome {
  const awaiting = context.store.internal.invoicesAwaitingAuthentication;
  // NOTE: every payment attempt counts once; finishing 3-D Secure completes the attempt that asked for it.
  if (!awaiting[invoice.id]) invoice.attempt_count += 1;
  invoice.attempted = true;
  delete awaiting[invoice.id];
  if (paymentIntent.status === 'succeeded') {
    markInvoicePaid(context, invoice, at);
    return 'paid';
  }
  if (paymentIntent.status === 'requires_action') {
    awaiting[invoice.id] = true;
    emitEvent(context, 'invoice.payment_action_required', invoice, { at });
    return 'requires_action';
  }
  emitEvent(context, 'invoice.payment_failed', invoice, { at });
  return 'declined';
}

export function markInvoicePaid(context: EmulatorContext, invoice: Invoice, at: number): void {
  const paymentIntentId = context.store.internal.invoicePaymentIntents[invoice.id];
  Object.assign(invoice, {
    status: 'paid',
    attempted: true,
    amount_paid: invoice.amount_due,
    amount_remaining: 0,
    status_transitions: { ...invoice.status_transitions, paid_at: at },
  });
  for (const payment of context.store.all<Resource>(
    'invoice_payment',
    (candidate) => candidate.invoice === invoice.id,
  )) {
    if ((payment.payment as { payment_intent?: string }).payment_intent === paymentIntentId) {
      Object.assign(payment, {
        status: 'paid',
        amount_paid: invoice.amount_due,
        status_transitions: { canceled_at: null, paid_at: at },
      });
    }
  }
  emitEvent(context, 'invoice.paid', invoice, { at });
  emitEvent(context, 'invoice.payment_succeeded', invoice, { at });
}

export function voidInvoice(context: EmulatorContext, invoice: Invoice, at: number): void {
  Object.assign(invoice, {
    status: 'void',
    amount_remaining: 0,
    status_transitions: { ...invoice.status_transitions, voided_at: at },
  });
  const paymentIntentId = context.store.internal.invoicePaymentIntents[invoice.id];
  const paymentIntent = paymentIntentId
    ? context.store.find<PaymentIntent>('payment_intent', paymentIntentId)
    : undefined;
  if (paymentIntent && paymentIntent.status !== 'succeeded') {
    Object.assign(paymentIntent, {
      status: 'canceled',
      canceled_at: at,
      cancellation_reason: 'void_invoice',
      next_action: null,
    });
    emitEvent(context, 'payment_intent.canceled', paymentIntent, { at });
  }
  emitEvent(context, 'invoice.voided', invoice, { at });
}
