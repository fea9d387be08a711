import { emitEvent } from '../emulator-context';
import { mergeMetadata } from '../metadata';
import type { Coupon } from '../billing/discounts';
import { paginate } from '../http/list-response';
import { array, emptyable, integer, metadata, object, oneOf, string } from '../http/param-schema';
import { defineRoute, listParams, type Route } from '../http/route';
import { newId } from '../ids';
import type { Metadata } from '../resource-types';
import { invalidRequest } from '../stripe-error';

/** Coupons: percent or amount off, once, repeating or forever. */
export const couponRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    path: '/v1/coupons',
    params: {
      id: string(),
      name: string(),
      percent_off: string(),
      amount_off: integer(),
      currency: string(),
      duration: oneOf(['once', 'repeating', 'forever']),
      duration_in_months: integer(),
      max_redemptions: integer(),
      redeem_by: integer(),
      metadata: metadata(),
      applies_to: object({ products: array(string()) }),
    },
    handle: ({ context, params }) => {
      const percentOff = params.percent_off === undefined ? null : Number(params.percent_off);
      if ((percentOff === null) === (params.amount_off === undefined))
        throw invalidRequest('You must pass either percent_off or amount_off.', { param: 'percent_off' });
      if (percentOff !== null && !(percentOff > 0 && percentOff <= 100))
        throw invalidRequest('Invalid percent_off: must be between 0 and 100.', { param: 'percent_off' });
      if (params.amount_off !== undefined && !params.currency)
        throw invalidRequest('You must pass currency when passing amount_off.', { param: 'currency' });
      const duration = params.duration ?? 'once';
      if (duration === 'repeating' && !params.duration_in_months)
        throw invalidRequest('You must pass duration_in_months when duration is repeating.', {
          param: 'duration_in_months',
        });
      const id = params.id ?? newId('', 8);
      if (context.store.get(id))
        throw invalidRequest('Coupon already exists.', { code: 'resource_already_exists', param: 'id' });
      for (const [index, product] of (params.applies_to?.products ?? []).entries())
        context.store.require('product', product, `applies_to[products][${index}]`);
      const coupon: Coupon = {
        id,
        object: 'coupon',
        applies_to: params.applies_to?.products?.length ? { products: [...params.applies_to.products] } : null,
        amount_off: params.amount_off ?? null,
        created: context.realNow(),
        currency: params.currency?.toLowerCase() ?? null,
        duration,
        duration_in_months: params.duration_in_months ?? null,
        livemode: false,
        max_redemptions: params.max_redemptions ?? null,
        metadata: params.metadata ?? {},
        name: params.name ?? null,
        percent_off: percentOff,
        redeem_by: params.redeem_by ?? null,
        times_redeemed: 0,
        valid: true,
      };
      context.store.insert(coupon);
      emitEvent(context, 'coupon.created', coupon);
      return coupon;
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/coupons/:id',
    params: {},
    handle: ({ context, path }) => context.store.require<Coupon>('coupon', path.id ?? ''),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/coupons/:id',
    params: { name: emptyable(string()), metadata: emptyable(metadata()) },
    handle: ({ context, params, path }) => {
      const coupon = context.store.require<Coupon>('coupon', path.id ?? '');
      if (params.name !== undefined) coupon.name = params.name;
      if (params.metadata !== undefined) coupon.metadata = mergeMetadata(coupon.metadata as Metadata, params.metadata);
      emitEvent(context, 'coupon.updated', coupon);
      return coupon;
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/v1/coupons/:id',
    params: {},
    handle: ({ context, path }) => {
      const coupon = context.store.require<Coupon>('coupon', path.id ?? '');
      emitEvent(context, 'coupon.deleted', coupon);
      coupon.deleted = true;
      return { id: coupon.id, object: 'coupon', deleted: true };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/coupons',
    params: listParams,
    handle: ({ context, params }) => paginate(context.store.all('coupon'), params, '/v1/coupons'),
  }),
];
