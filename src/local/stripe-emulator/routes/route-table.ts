import type { Route } from '../http/route';
import { chargeAndRefundRoutes } from './charges-and-refunds';
import { checkoutSessionRoutes } from './checkout-sessions';
import { couponRoutes } from './coupons';
import { customerRoutes } from './customers';
import { eventAndWebhookEndpointRoutes } from './events-and-webhook-endpoints';
import { invoiceItemRoutes } from './invoice-items';
import { invoiceRoutes } from './invoices';
import { paymentIntentRoutes } from './payment-intents';
import { paymentMethodRoutes } from './payment-methods';
import { priceRoutes } from './prices';
import { productRoutes } from './products';
import { subscriptionItemRoutes } from './subscription-items';
import { subscriptionScheduleRoutes } from './subscription-schedules';
import { subscriptionRoutes } from './subscriptions';
import { testClockRoutes } from './test-clocks';

/** Every Stripe endpoint the emulator serves. */
export const ROUTES: Route[] = [
  ...customerRoutes,
  ...paymentMethodRoutes,
  ...productRoutes,
  ...priceRoutes,
  ...couponRoutes,
  ...subscriptionRoutes,
  ...subscriptionItemRoutes,
  ...subscriptionScheduleRoutes,
  ...invoiceRoutes,
  ...invoiceItemRoutes,
  ...paymentIntentRoutes,
  ...chargeAndRefundRoutes,
  ...checkoutSessionRoutes,
  ...testClockRoutes,
  ...eventAndWebhookEndpointRoutes,
];
