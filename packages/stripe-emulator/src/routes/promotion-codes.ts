import { emitEvent } from '../emulator-context';
import { mergeMetadata } from '../metadata';
import type { Coupon } from '../billing/discounts';
import { paginate } from '../http/list-response';
import { boolean, emptyable, integer, metadata, object, oneOf, required, string } from '../http/param-schema';
import { defineRoute, listParams, type Route } from '../http/route';
import { newId } from '../ids';
import type { Metadata, Resource } from '../resource-types';
import { invalidRequest } from '../stripe-error';

/** Promotion codes: customer-facing codes for a coupon. */
export const promotionCodeRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    path: '/v1/promotion_codes',
    params: {
      promotion: required(object({ type: required(oneOf(['coupon'])), coupon: string() })),
      code: string(),
      active: boolean(),
      customer: string(),
      expires_at: integer(),
      max_redemptions: integer(),
      metadata: metadata(),
    },
    handle: ({ context, params }) => {
      const couponId = params.promotion.coupon;
      if (!couponId)
        throw invalidRequest('Missing required param: promotion[coupon].', {
          code: 'parameter_missing',
          param: 'promotion[coupon]',
        });
      context.store.require<Coupon>('coupon', couponId, 'promotion[coupon]');
      const code = params.code ?? newId('', 8).toUpperCase();
      if (
        context.store.all('promotion_code', (promotion) => promotion.code === code && promotion.active === true)
          .length > 0
      ) {
        throw invalidRequest('An active promotion code with `code` already exists.', { param: 'code' });
      }
      const promotionCode: Resource = {
        id: newId('promo'),
        object: 'promotion_code',
        active: params.active ?? true,
        code,
        created: context.realNow(),
        customer: params.customer ?? null,
        expires_at: params.expires_at ?? null,
        livemode: false,
        max_redemptions: params.max_redemptions ?? null,
        metadata: params.metadata ?? {},
        promotion: { type: 'coupon', coupon: couponId },
        restrictions: { first_time_transaction: false, minimum_amount: null, minimum_amount_currency: null },
        times_redeemed: 0,
      };
      context.store.insert(promotionCode);
      emitEvent(context, 'promotion_code.created', promotionCode);
      return promotionCode;
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/promotion_codes/:id',
    params: {},
    handle: ({ context, path }) => context.store.require('promotion_code', path.id ?? '', 'id', 'promotion code'),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/promotion_codes/:id',
    params: { active: boolean(), metadata: emptyable(metadata()) },
    handle: ({ context, params, path }) => {
      const promotionCode = context.store.require('promotion_code', path.id ?? '', 'id', 'promotion code');
      if (params.active !== undefined) promotionCode.active = params.active;
      if (params.metadata !== undefined)
        promotionCode.metadata = mergeMetadata(promotionCode.metadata as Metadata, params.metadata);
      emitEvent(context, 'promotion_code.updated', promotionCode);
      return promotionCode;
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/promotion_codes',
    params: { ...listParams, code: string(), active: boolean(), coupon: string() },
    handle: ({ context, params }) =>
      paginate(
        context.store.all(
          'promotion_code',
          (promotion) =>
            (!params.code || promotion.code === params.code) &&
            (params.active === undefined || promotion.active === params.active) &&
            (!params.coupon || (promotion.promotion as { coupon: string }).coupon === params.coupon),
        ),
        params,
        '/v1/promotion_codes',
      ),
  }),
];
