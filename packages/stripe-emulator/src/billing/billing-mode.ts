import { object, oneOf, required } from '../http/param-schema';
import type { Subscription } from '../resource-types';
import { invalidRequest } from '../stripe-error';

/**
 * A subscription's billing mode (docs.stripe.com/billing/subscriptions/billing-mode). NOTE: at
 * 2026-10-28.endive `flexible` is the default of subscriptions, Checkout, invoice previews and
 * schedules when none is passed; `classic` only when asked. Flexible credit prorations come from
 * what was debited for the item (docs.stripe.com/billing/subscriptions/billing-mode/compare).
 */
export type BillingModeType = 'classic' | 'flexible';

export interface BillingMode {
  type: BillingModeType;
  flexible: { proration_discounts: 'included' | 'itemized' } | null;
  updated_at: number;
}

export interface BillingModeRequest {
  type: BillingModeType;
  flexible?: { proration_discounts?: 'included' | 'itemized' };
}

export const billingModeParam = object({
  type: required(oneOf(['classic', 'flexible'])),
  flexible: object({ proration_discounts: oneOf(['included', 'itemized']) }),
});

export function billingModeOf(
  request: BillingModeRequest | undefined,
  at: number,
  param = 'billing_mode',
): BillingMode {
  const type = request?.type ?? 'flexible';
  if (type === 'classic' && request?.flexible)
    throw invalidRequest('`flexible` can only be set when `billing_mode[type]` is `flexible`.', {
      param: `${param}[flexible]`,
    });
  return {
    type,
    flexible:
      type === 'flexible' ? { proration_discounts: request?.flexible?.proration_discounts ?? 'included' } : null,
    updated_at: at,
  };
}

/** Subscriptions stored before billing modes existed in the emulator count as classic. */
export function billingModeTypeOf(subscription: Pick<Subscription, 'billing_mode'>): BillingModeType {
  return (subscription.billing_mode as BillingMode | undefined)?.type ?? 'classic';
}

/** `POST /v1/subscriptions/:id/migrate`: classic → flexible only; a flexible subscription never goes back. */
export function migrateBillingMode(subscription: Subscription, request: BillingModeRequest, at: number): void {
  if (request.type !== 'flexible' || billingModeTypeOf(subscription) === 'flexible')
    throw invalidRequest(
      billingModeTypeOf(subscription) === 'flexible'
        ? 'You can’t migrate a subscription from flexible billing mode to classic billing mode.'
        : 'Subscriptions can only be migrated to `flexible` billing mode.',
      { param: 'billing_mode[type]' },
    );
  subscription.billing_mode = billingModeOf(request, at);
}
