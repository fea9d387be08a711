import type { EmulatorContext } from '../emulator-context';
import { emitEvent, timeFor } from '../emulator-context';
import { finalizeInvoice } from '../billing/invoice-builder';
import { invoicePaymentIntent, markInvoicePaid, voidInvoice } from '../billing/invoice-collection';
import { cardDeclinedError, confirmPaymentIntent } from '../billing/payment-intents';
import { afterInvoicePaid } from '../billing/pending-updates';
import { previewInvoice } from '../billing/preview-invoice';
import { settlePaymentIntent } from '../billing/settle-payment-intent';
import { paymentMethodFor } from '../billing/update-subscription';
import { paginate } from '../http/list-response';
import { array, boolean, emptyable, integer, integerOr, metadata, object, oneOf, string } from '../http/param-schema';
import { defineRoute, listParams, type Route } from '../http/route';
import type { Customer, Invoice, Resource, Subscription } from '../resource-types';
import { invalidRequest } from '../stripe-error';
import { billingModeParam } from '../billing/billing-mode';
import { discountsParam, prorationBehaviorParam } from './subscription-params';

function requireInvoice(context: EmulatorContext, id: string): Invoice {
  return context.store.require<Invoice>('invoice', id, 'invoice');
}

function defaultPaymentMethod(context: EmulatorContext, invoice: Invoice): string | null {
  const subscriptionId = invoice.parent?.subscription_details.subscription;
  const subscription = subscriptionId ? context.store.find<Subscription>('subscription', subscriptionId) : undefined;
  if (subscription) return paymentMethodFor(context, subscription);
  return context.store.find<Customer>('customer', invoice.customer)?.invoice_settings.default_payment_method ?? null;
}

const previewParams = {
  customer: string(),
  subscription: string(),
  currency: string(),
  preview_mode: oneOf(['next', 'recurring']),
  discounts: discountsParam,
  automatic_tax: object({ enabled: boolean() }),
  subscription_details: object({
    items: array(
      object({
        id: string(),
        price: string(),
        quantity: integer(),
        deleted: boolean(),
        clear_usage: boolean(),
        discounts: discountsParam,
        metadata: emptyable(metadata()),
      }),
    ),
    proration_behavior: prorationBehaviorParam,
    proration_date: integer(),
    billing_cycle_anchor: oneOf(['now', 'unchanged']),
    trial_end: integerOr(['now']),
    cancel_at_period_end: boolean(),
    billing_mode: billingModeParam,
  }),
  invoice_items: array(
    object({
      price: string(),
      quantity: integer(),
      amount: integer(),
      currency: string(),
      description: string(),
      discounts: discountsParam,
    }),
  ),
};

export const invoiceRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    path: '/v1/invoices/create_preview',
    params: previewParams,
    discardChanges: true,
    handle: ({ context, params }) => previewInvoice(context, params),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/invoices/:id',
    params: {},
    handle: ({ context, path }) => requireInvoice(context, path.id ?? ''),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/v1/invoices/:id',
    params: {},
    handle: ({ context, path }) => {
      // NOTE: docs.stripe.com/api/invoices/delete: only a one-off draft; finalized or subscription invoices are voided.
      const invoice = requireInvoice(context, path.id ?? '');
      if (invoice.status !== 'draft' || invoice.parent?.subscription_details.subscription)
        throw invalidRequest('You can only delete draft invoices that are not for a subscription.', {
          code: 'invoice_not_editable',
        });
      for (const item of context.store.all<Resource>('invoiceitem', (candidate) => candidate.invoice === invoice.id))
        item.deleted = true;
      emitEvent(context, 'invoice.deleted', invoice, { at: timeFor(context, invoice.customer) });
      invoice.deleted = true;
      return { id: invoice.id, object: 'invoice', deleted: true };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/invoices/:id/lines',
    params: listParams,
    handle: ({ context, params, path }) =>
      paginate(requireInvoice(context, path.id ?? '').lines.data, params, `/v1/invoices/${path.id ?? ''}/lines`),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/invoices',
    params: {
      ...listParams,
      customer: string(),
      subscription: string(),
      status: oneOf(['draft', 'open', 'paid', 'uncollectible', 'void']),
      created: integer(),
    },
    handle: ({ context, params }) =>
      paginate(
        context.store.all<Invoice>(
          'invoice',
          (invoice) =>
            (!params.customer || invoice.customer === params.customer) &&
            (!params.subscription || invoice.parent?.subscription_details.subscription === params.subscription) &&
            (!params.status || invoice.status === params.status),
        ),
        params,
        '/v1/invoices',
      ),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/invoices/:id/finalize',
    params: { auto_advance: boolean() },
    handle: ({ context, path }) => {
      const invoice = requireInvoice(context, path.id ?? '');
      if (invoice.status !== 'draft')
        throw invalidRequest("This invoice is already finalized, you can't re-finalize a non-draft invoice.", {
          code: 'invoice_not_editable',
        });
      finalizeInvoice(context, invoice, timeFor(context, invoice.customer));
      return invoice;
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/invoices/:id/pay',
    params: { payment_method: string(), off_session: boolean(), paid_out_of_band: boolean() },
    handle: ({ context, params, path }) => {
      const invoice = requireInvoice(context, path.id ?? '');
      const at = timeFor(context, invoice.customer);
      if (invoice.status === 'paid') throw invalidRequest('Invoice is already paid', { code: 'invoice_already_paid' });
      if (invoice.status === 'draft') finalizeInvoice(context, invoice, at);
      if (invoice.status !== 'open')
        throw invalidRequest(`You cannot pay an invoice with status ${invoice.status}.`, {
          code: 'invoice_not_editable',
        });
      if (params.paid_out_of_band || invoice.amount_due === 0) {
        markInvoicePaid(context, invoice, at);
        afterInvoicePaid(context, invoice, at);
        return invoice;
      }
      const paymentMethodId = params.payment_method ?? defaultPaymentMethod(context, invoice);
      if (!paymentMethodId)
        throw invalidRequest('The invoice has no payment method to charge.', {
          code: 'invoice_no_payment_method_types',
        });
      const paymentIntent = invoicePaymentIntent(context, invoice, paymentMethodId);
      const outcome = confirmPaymentIntent(context, paymentIntent, paymentMethodId);
      settlePaymentIntent(context, paymentIntent);
      if (outcome === 'declined') throw cardDeclinedError(paymentIntent);
      if (outcome === 'requires_action') {
        const error = invalidRequest(
          'This payment requires additional user action before it can be completed successfully.',
          { code: 'invoice_payment_intent_requires_action', statusCode: 402 },
        );
        error.keepsChanges = true;
        throw error;
      }
      return invoice;
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/invoices/:id/void',
    params: {},
    handle: ({ context, path }) => {
      const invoice = requireInvoice(context, path.id ?? '');
      if (invoice.status !== 'open' && invoice.status !== 'uncollectible')
        throw invalidRequest(
          `You can only pass in open or uncollectible invoices. This invoice is ${invoice.status}.`,
          { code: 'invoice_not_editable' },
        );
      const at = timeFor(context, invoice.customer);
      voidInvoice(context, invoice, at);
      const subscriptionId = invoice.parent?.subscription_details.subscription;
      const pending = subscriptionId ? context.store.internal.pendingUpdates[subscriptionId] : undefined;
      const subscription = subscriptionId
        ? context.store.find<Subscription>('subscription', subscriptionId)
        : undefined;
      if (pending?.invoiceId === invoice.id && subscription) {
        // NOTE: voiding the invoice of a pending update discards the update (Stripe's documented way to cancel it).
        const previous = { pending_update: subscription.pending_update };
        subscription.pending_update = null;
        delete context.store.internal.pendingUpdates[subscription.id];
        emitEvent(context, 'customer.subscription.updated', subscription, { previous, at });
      }
      return invoice;
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/invoices/:id/send',
    params: {},
    handle: ({ context, path }) => {
      // NOTE: docs.stripe.com/api/invoices/send: e-mails the invoice (a paid one as its receipt) and
      // returns it unchanged; a draft cannot be sent. Test mode sends no e-mail.
      const invoice = requireInvoice(context, path.id ?? '');
      if (invoice.status === 'draft')
        throw invalidRequest('You can only send finalized invoices. This invoice is draft.', {
          code: 'invoice_not_editable',
        });
      const at = timeFor(context, invoice.customer);
      emitEvent(context, 'invoice.sent', invoice, { at });
      return invoice;
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/invoices/:id/mark_uncollectible',
    params: {},
    handle: ({ context, path }) => {
      const invoice = requireInvoice(context, path.id ?? '');
      if (invoice.status !== 'open')
        throw invalidRequest(`You can only mark open invoices as uncollectible. This invoice is ${invoice.status}.`, {
          code: 'invoice_not_editable',
        });
      const at = timeFor(context, invoice.customer);
      Object.assign(invoice, {
        status: 'uncollectible',
        status_transitions: { ...invoice.status_transitions, marked_uncollectible_at: at },
      });
      emitEvent(context, 'invoice.marked_uncollectible', invoice, { at });
      return invoice;
    },
  }),
];
