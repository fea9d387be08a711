import type { EmulatorContext } from '../emulator-context';
import { timeFor } from '../emulator-context';
import { type CheckoutSession, expireCheckout } from '../billing/complete-checkout';
import { unitAmountIn } from '../billing/price-amounts';
import { billingModeParam } from '../billing/billing-mode';
import { couponRules } from '../billing/discounts';
import { invoiceTotals } from '../money/invoice-totals';
import { paginate } from '../http/list-response';
import { discountsParam } from './subscription-params';
import { array, boolean, integer, metadata, object, oneOf, required, string } from '../http/param-schema';
import { defineRoute, listParams, type Route } from '../http/route';
import { newId } from '../ids';
import { renderResource } from '../render';
import type { Customer, Price } from '../resource-types';
import { invalidRequest, parameterMissing } from '../stripe-error';

const BASE = '/v1/checkout/sessions';

function requireSession(context: EmulatorContext, id: string): CheckoutSession {
  return context.store.require<CheckoutSession>('checkout.session', id, 'session', 'checkout.session');
}

export const checkoutSessionRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    path: BASE,
    params: {
      mode: required(oneOf(['payment', 'subscription', 'setup'])),
      line_items: array(object({ price: string(), quantity: integer() })),
      customer: string(),
      customer_email: string(),
      success_url: string(),
      cancel_url: string(),
      client_reference_id: string(),
      metadata: metadata(),
      currency: string(),
      locale: string(),
      expires_at: integer(),
      allow_promotion_codes: boolean(),
      payment_method_types: array(string()),
      billing_address_collection: oneOf(['auto', 'required']),
      customer_creation: oneOf(['always', 'if_required']),
      subscription_data: object({
        metadata: metadata(),
        trial_period_days: integer(),
        description: string(),
        billing_mode: billingModeParam,
      }),
      ui_mode: oneOf(['hosted_page', 'embedded_page', 'elements', 'form']),
      discounts: discountsParam,
      payment_intent_data: object({ metadata: metadata(), description: string() }),
    },
    handle: ({ context, params }) => {
      // NOTE: docs.stripe.com/api/checkout/sessions/create: setup mode takes no line items, and a
      // currency when payment_method_types is not given.
      if (params.mode === 'setup') {
        if (params.line_items?.length)
          throw invalidRequest('You cannot pass `line_items` in `setup` mode.', { param: 'line_items' });
        if (!params.currency && !params.payment_method_types?.length) throw parameterMissing('currency');
      } else if (!params.line_items || params.line_items.length === 0) throw parameterMissing('line_items');
      const items = params.line_items ?? [];
      if (params.ui_mode && params.ui_mode !== 'hosted_page')
        throw invalidRequest('The emulator hosts only the `hosted_page` Checkout.', { param: 'ui_mode' });
      if (params.customer && params.customer_email)
        throw invalidRequest('You may only specify one of these parameters: customer, customer_email.', {
          param: 'customer_email',
        });
      const customer = params.customer
        ? context.store.require<Customer>('customer', params.customer, 'customer')
        : null;
      const id = newId('cs_test', 58);
      const prices = items.map((item, index) => {
        if (!item.price) throw parameterMissing(`line_items[${index}][price]`);
        return context.store.require<Price>('price', item.price, `line_items[${index}][price]`);
      });
      const currency = (params.currency ?? customer?.currency ?? prices[0]?.currency ?? 'usd').toLowerCase();
      const lineItems = items.map((item, index) => {
        const price = prices[index] as Price;
        const amount = unitAmountIn(price, currency, `line_items[${index}][price]`) * (item.quantity ?? 1);
        return {
          id: newId('li'),
          object: 'item',
          amount_discount: 0,
          amount_subtotal: amount,
          amount_tax: 0,
          amount_total: amount,
          currency,
          description: price.nickname,
          price: renderResource(context.store, price) as Price,
          quantity: item.quantity ?? 1,
        };
      });
      const discounts = params.discounts ?? [];
      if (discounts.length > 1)
        throw invalidRequest('You may only specify one discount for a Checkout Session.', { param: 'discounts' });
      // NOTE: a coupon restricted with applies_to discounts only the line items of those products.
      const totals = invoiceTotals(
        lineItems.map((item) => ({ amount: item.amount_subtotal, discounts: [], product: item.price.product })),
        couponRules(context, discounts),
        0,
      );
      totals.lineDiscounts.forEach((amounts, index) => {
        const item = lineItems[index];
        if (!item) return;
        item.amount_discount = amounts.reduce((sum, entry) => sum + entry.amount, 0);
        item.amount_total = item.amount_subtotal - item.amount_discount;
      });
      const subtotal = totals.subtotal;
      const total = totals.total;
      const discountAmount = subtotal - total;
      const now = timeFor(context, customer?.id);
      const session: CheckoutSession = {
        id,
        object: 'checkout.session',
        amount_subtotal: subtotal,
        amount_total: total,
        discounts,
        total_details: { amount_discount: discountAmount, amount_shipping: 0, amount_tax: 0 },
        cancel_url: params.cancel_url ?? null,
        client_reference_id: params.client_reference_id ?? null,
        created: now,
        currency,
        customer: customer?.id ?? null,
        customer_details: null,
        customer_email: params.customer_email ?? customer?.email ?? null,
        expires_at: params.expires_at ?? now + 24 * 3600,
        invoice: null,
        line_items: { object: 'list', data: lineItems, has_more: false, url: `${BASE}/${id}/line_items` },
        livemode: false,
        locale: params.locale ?? null,
        metadata: params.metadata ?? {},
        mode: params.mode,
        payment_intent: null,
        payment_status: params.mode === 'setup' ? 'no_payment_required' : 'unpaid',
        setup_intent: null,
        status: 'open',
        subscription: null,
        subscription_data: params.subscription_data ?? null,
        success_url: params.success_url ?? null,
        // NOTE: Checkout.Session.UiMode at 2026-10-28.endive: elements | embedded_page | form | hosted_page.
        ui_mode: params.ui_mode ?? 'hosted_page',
        url: `${context.baseUrl}/checkout/${id}`,
      };
      return context.store.insert(session);
    },
  }),
  defineRoute({
    method: 'GET',
    path: `${BASE}/:id`,
    params: {},
    handle: ({ context, path }) => requireSession(context, path.id ?? ''),
  }),
  defineRoute({
    method: 'GET',
    path: `${BASE}/:id/line_items`,
    params: listParams,
    handle: ({ context, params, path }) =>
      paginate(requireSession(context, path.id ?? '').line_items.data, params, `${BASE}/${path.id ?? ''}/line_items`),
  }),
  defineRoute({
    method: 'POST',
    path: `${BASE}/:id/expire`,
    params: {},
    handle: ({ context, path }) => {
      const session = requireSession(context, path.id ?? '');
      expireCheckout(context, session);
      return session;
    },
  }),
  defineRoute({
    method: 'GET',
    path: BASE,
    params: {
      ...listParams,
      customer: string(),
      subscription: string(),
      payment_intent: string(),
      status: oneOf(['open', 'complete', 'expired']),
    },
    handle: ({ context, params }) =>
      paginate(
        context.store.all<CheckoutSession>(
          'checkout.session',
          (session) =>
            (!params.customer || session.customer === params.customer) &&
            (!params.subscription || session.subscription === params.subscription) &&
            (!params.payment_intent || session.payment_intent === params.payment_intent) &&
            (!params.status || session.status === params.status),
        ),
        params,
        BASE,
      ),
  }),
];
