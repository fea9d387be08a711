import type { EmulatorContext } from '../emulator-context';
import { newId } from '../ids';
import type { Resource } from '../resource-types';
import type { DiscountRule } from '../money/invoice-totals';
import { addInterval } from '../money/calendar';
import { invalidRequest } from '../stripe-error';

export interface Coupon extends Resource {
  object: 'coupon';
  percent_off: number | null;
  amount_off: number | null;
  currency: string | null;
  duration: 'once' | 'repeating' | 'forever';
  duration_in_months: number | null;
  valid: boolean;
  times_redeemed: number;
  applies_to: { products: string[] } | null;
}

export interface Discount extends Resource {
  object: 'discount';
  source: { type: 'coupon'; coupon: Coupon };
  start: number;
  end: number | null;
}

export interface DiscountRequest {
  coupon?: string;
  promotion_code?: string;
  discount?: string;
}

/** Creates `di_...` discounts for a subscription from coupons or promotion codes. */
export function createDiscounts(
  context: EmulatorContext,
  requests: DiscountRequest[],
  owner: { customer: string; subscription: string | null },
  start: number,
): string[] {
  return requests.map((request, index) => {
    if (request.discount) return request.discount;
    let couponId = request.coupon;
    let promotionCodeId: string | null = null;
    if (request.promotion_code) {
      const promotion = context.store.require<Resource>(
        'promotion_code',
        request.promotion_code,
        `discounts[${index}][promotion_code]`,
      );
      if (promotion.active !== true)
        throw invalidRequest(`This promotion code is inactive.`, { param: `discounts[${index}][promotion_code]` });
      promotionCodeId = promotion.id;
      promotion.times_redeemed = Number(promotion.times_redeemed) + 1;
      couponId = (promotion.promotion as { coupon: string }).coupon;
    }
    if (!couponId) throw invalidRequest('You must pass coupon or promotion_code.', { param: `discounts[${index}]` });
    const coupon = context.store.require<Coupon>('coupon', couponId, `discounts[${index}][coupon]`);
    coupon.times_redeemed += 1;
    const discount: Discount = {
      id: newId('di'),
      object: 'discount',
      checkout_session: null,
      customer: owner.customer,
      end:
        coupon.duration === 'repeating' && coupon.duration_in_months
          ? addInterval(start, 'month', coupon.duration_in_months)
          : null,
      invoice: null,
      invoice_item: null,
      promotion_code: promotionCodeId,
      source: { type: 'coupon', coupon: JSON.parse(JSON.stringify(coupon)) as Coupon },
      start,
      subscription: owner.subscription,
    };
    context.store.insert(discount);
    return discount.id;
  });
}

/**
 * Which discounts apply to an invoice at `at`. NOTE: a `once` coupon discounts the first
 * invoice after the discount was created, a `repeating` one until its end.
 */
export function applicableDiscounts(context: EmulatorContext, discountIds: string[], at: number): DiscountRule[] {
  const rules: DiscountRule[] = [];
  for (const id of discountIds) {
    const discount = context.store.find<Discount>('discount', id);
    if (!discount) continue;
    const coupon = discount.source.coupon;
    if (coupon.duration === 'once' && context.store.internal.onceDiscountInvoices[id]) continue;
    if (discount.end !== null && at >= discount.end) continue;
    rules.push({
      id,
      percentOff: coupon.percent_off,
      amountOff: coupon.amount_off,
      products: coupon.applies_to?.products ?? null,
    });
  }
  return rules;
}

/** Marks the `once` discounts an invoice used, so later invoices go without them. */
export function redeemOnceDiscounts(context: EmulatorContext, discountIds: string[], invoiceId: string): void {
  for (const id of discountIds) {
    const discount = context.store.find<Discount>('discount', id);
    if (discount?.source.coupon.duration === 'once') context.store.internal.onceDiscountInvoices[id] ??= invoiceId;
  }
}

/** The rules of coupons named in a request, without creating discounts (Checkout totals). */
export function couponRules(context: EmulatorContext, requests: DiscountRequest[]): DiscountRule[] {
  return requests.map((request, index) => {
    const promotion = request.promotion_code
      ? context.store.require<Resource>('promotion_code', request.promotion_code, `discounts[${index}][promotion_code]`)
      : null;
    const couponId = promotion ? (promotion.promotion as { coupon: string }).coupon : (request.coupon ?? '');
    const coupon = context.store.require<Coupon>('coupon', couponId, `discounts[${index}][coupon]`);
    return {
      id: coupon.id,
      percentOff: coupon.percent_off,
      amountOff: coupon.amount_off,
      products: coupon.applies_to?.products ?? null,
    };
  });
}
