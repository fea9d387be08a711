import type { Route } from '../http/route';
import { chargeRoutes } from './charges';
import { checkoutSessionRoutes } from './checkout-sessions';
import { couponRoutes } from './coupons';
import { customerRoutes } from './customers';
import { customerBalanceTransactionRoutes } from './customer-balance-transactions';
import { eventRoutes } from './events';
import { invoiceItemRoutes } from './invoice-items';
import { invoicePaymentRoutes } from './invoice-payments';
import { invoiceCreateRoutes } from './invoice-create';
import { invoiceRoutes } from './invoices';
import { paymentIntentRoutes } from './payment-intents';
import { paymentMethodRoutes } from './payment-methods';
import { priceRoutes } from './prices';
import { productRoutes } from './products';
import { promotionCodeRoutes } from './promotion-codes';
import { refundRoutes } from './refunds';
import { setupIntentRoutes } from './setup-intents';
import { subscriptionItemRoutes } from './subscription-items';
import { subscriptionScheduleRoutes } from './subscription-schedules';
import { subscriptionRoutes } from './subscriptions';
import { testClockRoutes } from './test-clocks';
import { webhookEndpointRoutes } from './webhook-endpoints';

/** Every Stripe endpoint the emulator serves. */
export const ROUTES: Route[] = [
  ...customerRoutes,
  ...customerBalanceTransactionRoutes,
  ...paymentMethodRoutes,
  ...productRoutes,
  ...priceRoutes,
  ...couponRoutes,
  ...promotionCodeRoutes,
  ...subscriptionRoutes,
  ...subscriptionItemRoutes,
  ...subscriptionScheduleRoutes,
  ...invoiceCreateRoutes,
  ...invoiceRoutes,
  ...invoiceItemRoutes,
  ...invoicePaymentRoutes,
  ...paymentIntentRoutes,
  ...setupIntentRoutes,
  ...chargeRoutes,
  ...refundRoutes,
  ...checkoutSessionRoutes,
  ...testClockRoutes,
  ...eventRoutes,
  ...webhookEndpointRoutes,
];
