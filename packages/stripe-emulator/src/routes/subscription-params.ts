import { billingModeParam } from '../billing/billing-mode';
import { array, boolean, emptyable, integer, integerOr, metadata, object, oneOf, string } from '../http/param-schema';

/** Parameter trees shared by subscription create and update. */
export const discountsParam = emptyable(
  array(object({ coupon: string(), promotion_code: string(), discount: string() })),
);
export const addInvoiceItemsParam = array(object({ price: string(), quantity: integer(), discounts: discountsParam }));
export const prorationBehaviorParam = oneOf(['create_prorations', 'always_invoice', 'none']);

export const createSubscriptionParams = {
  customer: string(),
  items: array(object({ price: string(), quantity: integer(), metadata: metadata(), discounts: discountsParam })),
  currency: string(),
  default_payment_method: string(),
  payment_behavior: oneOf(['allow_incomplete', 'default_incomplete', 'error_if_incomplete']),
  trial_period_days: integer(),
  trial_end: integerOr(['now']),
  discounts: discountsParam,
  add_invoice_items: addInvoiceItemsParam,
  metadata: metadata(),
  cancel_at_period_end: boolean(),
  description: string(),
  billing_mode: billingModeParam,
  off_session: boolean(),
  proration_behavior: prorationBehaviorParam,
  collection_method: oneOf(['charge_automatically']),
  payment_settings: object({
    save_default_payment_method: oneOf(['off', 'on_subscription']),
    payment_method_types: array(string()),
  }),
};

export const updateSubscriptionParams = {
  items: array(
    object({
      id: string(),
      price: string(),
      quantity: integer(),
      deleted: boolean(),
      metadata: emptyable(metadata()),
      clear_usage: boolean(),
      discounts: discountsParam,
    }),
  ),
  proration_behavior: prorationBehaviorParam,
  proration_date: integer(),
  payment_behavior: oneOf(['allow_incomplete', 'default_incomplete', 'error_if_incomplete', 'pending_if_incomplete']),
  billing_cycle_anchor: oneOf(['now', 'unchanged']),
  trial_end: integerOr(['now']),
  trial_from_plan: boolean(),
  add_invoice_items: addInvoiceItemsParam,
  cancel_at_period_end: boolean(),
  cancel_at: emptyable(integer()),
  default_payment_method: emptyable(string()),
  metadata: emptyable(metadata()),
  description: emptyable(string()),
  discounts: discountsParam,
  off_session: boolean(),
  payment_settings: object({
    save_default_payment_method: oneOf(['off', 'on_subscription']),
    payment_method_types: array(string()),
  }),
};
