import { timeFor } from '../emulator-context';
import { oneTimeDraft, storeInvoiceItem } from '../billing/invoice-items';
import { paginate } from '../http/list-response';
import { boolean, integer, metadata, object, required, string } from '../http/param-schema';
import { defineRoute, listParams, type Route } from '../http/route';
import type { Customer, Resource } from '../resource-types';
import { invalidRequest } from '../stripe-error';
import { createDiscounts } from '../billing/discounts';
import { discountsParam } from './subscription-params';

export const invoiceItemRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    path: '/v1/invoiceitems',
    params: {
      customer: required(string()),
      amount: integer(),
      currency: string(),
      description: string(),
      pricing: object({ price: string() }),
      quantity: integer(),
      subscription: string(),
      metadata: metadata(),
      discountable: boolean(),
      discounts: discountsParam,
      period: object({ start: required(integer()), end: required(integer()) }),
    },
    handle: ({ context, params }) => {
      const customer = context.store.require<Customer>('customer', params.customer, 'customer');
      if (params.amount === undefined && !params.pricing?.price)
        throw invalidRequest('You must pass either amount or pricing[price].', { param: 'amount' });
      const currency = (params.currency ?? customer.currency ?? 'usd').toLowerCase();
      if (params.subscription) context.store.require('subscription', params.subscription, 'subscription');
      const now = timeFor(context, customer.id);
      const draft = oneTimeDraft(context, {
        priceId: params.pricing?.price,
        amount: params.amount,
        quantity: params.quantity,
        description: params.description,
        currency,
        period: params.period ?? { start: now, end: now },
        subscriptionId: params.subscription ?? null,
        param: 'pricing',
        discounts: createDiscounts(
          context,
          params.discounts ?? [],
          { customer: customer.id, subscription: params.subscription ?? null },
          now,
        ),
      });
      const stored = storeInvoiceItem(context, draft, customer, now);
      const item = context.store.require<Resource>('invoiceitem', stored.invoiceItemId ?? '');
      if (params.metadata) item.metadata = params.metadata;
      return item;
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/invoiceitems/:id',
    params: {},
    handle: ({ context, path }) => context.store.require('invoiceitem', path.id ?? '', 'id', 'invoiceitem'),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/v1/invoiceitems/:id',
    params: {},
    handle: ({ context, path }) => {
      const item = context.store.require('invoiceitem', path.id ?? '', 'id', 'invoiceitem');
      if (item.invoice)
        throw invalidRequest('You cannot delete an invoice item that is attached to an invoice.', {
          code: 'invoice_not_editable',
        });
      item.deleted = true;
      return { id: item.id, object: 'invoiceitem', deleted: true };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/invoiceitems',
    params: { ...listParams, customer: string(), pending: boolean(), invoice: string() },
    handle: ({ context, params }) =>
      paginate(
        context.store.all(
          'invoiceitem',
          (item) =>
            (!params.customer || item.customer === params.customer) &&
            (params.pending === undefined || (item.invoice === null) === params.pending) &&
            (!params.invoice || item.invoice === params.invoice),
        ),
        params,
        '/v1/invoiceitems',
      ),
  }),
];
