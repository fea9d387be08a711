import { emitEvent } from '../emulator-context';
import { mergeMetadata } from '../metadata';
import { insertNewCustomer } from '../billing/new-customer';
import { attachPaymentMethod } from '../billing/payment-methods';
import { cancelSubscription } from '../billing/cancel-subscription';
import { paginate } from '../http/list-response';
import { emptyable, integer, metadata, object, string, array } from '../http/param-schema';
import { defineRoute, listParams, type Route } from '../http/route';
import { cloneJson, previousAttributes } from '../previous-attributes';
import type { Customer, Subscription, TestClock } from '../resource-types';
import { invalidRequest } from '../stripe-error';
import type { EmulatorContext } from '../emulator-context';

const address = object({
  city: string(),
  country: string(),
  line1: string(),
  line2: string(),
  postal_code: string(),
  state: string(),
});
const editable = {
  email: emptyable(string()),
  name: emptyable(string()),
  description: emptyable(string()),
  phone: emptyable(string()),
  address: emptyable(address),
  metadata: emptyable(metadata()),
  balance: integer(),
  preferred_locales: array(string()),
  invoice_settings: object({ default_payment_method: emptyable(string()), footer: emptyable(string()) }),
};

function applyEdits(
  context: EmulatorContext,
  customer: Customer,
  params: Record<string, unknown> & {
    invoice_settings?: { default_payment_method?: string | null; footer?: string | null };
    metadata?: Record<string, string> | null;
  },
): void {
  for (const key of ['email', 'name', 'description', 'phone', 'address', 'balance', 'preferred_locales'] as const) {
    if (params[key] !== undefined) (customer as Record<string, unknown>)[key] = params[key];
  }
  if (params.metadata !== undefined) customer.metadata = mergeMetadata(customer.metadata, params.metadata);
  const defaultMethod = params.invoice_settings?.default_payment_method;
  if (defaultMethod) {
    const paymentMethod = context.store.find('payment_method', defaultMethod);
    if (!paymentMethod || paymentMethod.customer !== customer.id) {
      throw invalidRequest(
        `No such PaymentMethod: '${defaultMethod}'; It's possible this PaymentMethod exists on one of your connected accounts, in which case you should retry this request on that connected account.`,
        { code: 'resource_missing', param: 'invoice_settings[default_payment_method]' },
      );
    }
  }
  if (params.invoice_settings) customer.invoice_settings = { ...customer.invoice_settings, ...params.invoice_settings };
}

export const customerRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    path: '/v1/customers',
    params: { ...editable, payment_method: string(), test_clock: string() },
    handle: ({ context, params }) => {
      const clock = params.test_clock
        ? context.store.require<TestClock>('test_helpers.test_clock', params.test_clock, 'test_clock', 'test clock')
        : null;
      const customer = insertNewCustomer(context, { clock });
      if (params.payment_method) {
        const attached = attachPaymentMethod(context, params.payment_method, customer.id, 'payment_method');
        if (params.invoice_settings?.default_payment_method === params.payment_method)
          params.invoice_settings.default_payment_method = attached.id;
      }
      applyEdits(context, customer, params);
      emitEvent(context, 'customer.created', customer);
      return customer;
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/customers/:customer',
    params: {},
    handle: ({ context, path }) => {
      const customer = context.store.find<Customer>('customer', path.customer ?? '');
      if (customer?.deleted) return { id: customer.id, object: 'customer', deleted: true };
      return context.store.require<Customer>('customer', path.customer ?? '');
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/customers/:customer',
    params: editable,
    handle: ({ context, params, path }) => {
      const customer = context.store.require<Customer>('customer', path.customer ?? '');
      const before = cloneJson(customer);
      applyEdits(context, customer, params);
      const previous = previousAttributes(before, customer);
      if (Object.keys(previous).length > 0) emitEvent(context, 'customer.updated', customer, { previous });
      return customer;
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/v1/customers/:customer',
    params: {},
    handle: ({ context, path }) => {
      const customer = context.store.require<Customer>('customer', path.customer ?? '');
      const now = context.realNow();
      for (const subscription of context.store.all<Subscription>(
        'subscription',
        (candidate) => candidate.customer === customer.id,
      ))
        cancelSubscription(context, subscription, now);
      emitEvent(context, 'customer.deleted', customer);
      customer.deleted = true;
      return { id: customer.id, object: 'customer', deleted: true };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/customers',
    params: { ...listParams, email: string(), test_clock: string(), created: integer() },
    handle: ({ context, params }) =>
      paginate(
        context.store.all<Customer>(
          'customer',
          (customer) =>
            (!params.email || customer.email === params.email) &&
            (!params.test_clock || customer.test_clock === params.test_clock),
        ),
        params,
        '/v1/customers',
      ),
  }),
];
