import { timeFor } from '../emulator-context';
import { buildInvoice, insertInvoice } from '../billing/invoice-builder';
import { pendingItemDrafts } from '../billing/invoice-items';
import { boolean, metadata, oneOf, required, string } from '../http/param-schema';
import { defineRoute, type Route } from '../http/route';
import type { Customer, Subscription } from '../resource-types';
import { invalidRequest } from '../stripe-error';

/**
 * `POST /v1/invoices`: a draft invoice for a customer. As in Stripe, pending invoice items are
 * pulled in only with `pending_invoice_items_behavior: include` (the default is `exclude`
 * since API 2022-08-01); with `subscription`, only that subscription's pending items.
 * `POST /v1/invoices/{id}/pay` then finalizes and charges it.
 */
export const invoiceCreateRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    path: '/v1/invoices',
    params: {
      customer: required(string()),
      currency: string(),
      subscription: string(),
      auto_advance: boolean(),
      collection_method: oneOf(['charge_automatically']),
      description: string(),
      metadata: metadata(),
      pending_invoice_items_behavior: oneOf(['include', 'exclude']),
    },
    handle: ({ context, params }) => {
      const customer = context.store.require<Customer>('customer', params.customer, 'customer');
      const subscription = params.subscription
        ? context.store.require<Subscription>('subscription', params.subscription, 'subscription')
        : null;
      if (subscription && subscription.customer !== customer.id)
        throw invalidRequest('The subscription does not belong to this customer.', { param: 'subscription' });
      const currency = (params.currency ?? subscription?.currency ?? customer.currency ?? 'usd').toLowerCase();
      const include = params.pending_invoice_items_behavior === 'include';
      const drafts = include
        ? pendingItemDrafts(context, customer.id, subscription?.id ?? null).filter(
            (draft) => draft.currency === currency,
          )
        : [];
      const at = timeFor(context, customer.id);
      const invoice = buildInvoice(
        context,
        {
          customer,
          currency,
          drafts,
          billingReason: 'manual',
          subscription,
          at,
          description: params.description ?? null,
          metadata: params.metadata ?? {},
        },
        { preview: false },
      );
      invoice.auto_advance = params.auto_advance ?? false;
      return insertInvoice(context, invoice);
    },
  }),
];
