import { z } from 'zod';
import { errorResponse, type RouteSpec } from '../openapi/route-spec';
import { paymentMethodSessionSchema } from './billing.validators';

const paymentMethodSessionView = z
  .strictObject({
    object: z.literal('payment_method_session'),
    id: z.string().meta({ description: 'The Stripe Checkout Session (mode setup).' }),
    url: z.string().meta({ description: "Stripe's hosted page where the customer enters the new card." }),
    operation_id: z.string(),
  })
  .meta({ id: 'PaymentMethodSession' });

/** POST /v1/payment-method/sessions (src/billing/open-payment-method-session.ts). */
export const paymentMethodRouteSpecs: RouteSpec[] = [
  {
    method: 'post',
    path: '/v1/payment-method/sessions',
    summary: 'Open a Checkout Session in setup mode to replace the card',
    description:
      "The customer saves a new card on Stripe's page and comes back to `return_url` with `?tierlift_setup=done` (or `canceled`). On completion the card becomes the default of the customer and of the subscription. Asked again while a session is open, the open one is answered.",
    tags: ['Billing'],
    security: 'user',
    callsStripe: true,
    idempotencyKey: 'optional',
    body: paymentMethodSessionSchema.optional(),
    responses: {
      201: { description: 'The session to send the customer to.', schema: paymentMethodSessionView },
      403: errorResponse('Only an owner or admin manages billing.'),
      409: errorResponse("Another billing operation holds the account's lane."),
    },
  },
];
