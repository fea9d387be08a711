import type { Stripe } from '../stripe/stripe-client';
import { idOf } from './stripe-ids';
import type { BillingReferences } from './webhook-effects';

type Metadata = Record<string, string> | null | undefined;

const operationIdIn = (...sources: Metadata[]): string | null =>
  sources.map((metadata) => metadata?.tierlift_operation_id).find((id) => typeof id === 'string') ?? null;

/**
 * The objects an event names that a billing operation may be waiting on. NOTE: ids and the
 * metadata Tierlift wrote never change, so the event's snapshot is enough here; billing then
 * asks Stripe for the objects' current state before deciding anything.
 */
export function billingReferencesOf(event: Stripe.Event): BillingReferences | undefined {
  const object = event.data.object as { object?: string; id?: string };
  switch (object.object) {
    case 'invoice': {
      const invoice = object as Stripe.Invoice;
      const details = invoice.parent?.subscription_details;
      return {
        invoiceId: invoice.id ?? null,
        subscriptionId: idOf(details?.subscription),
        operationId: operationIdIn(invoice.metadata, details?.metadata),
      };
    }
    case 'payment_intent': {
      const intent = object as Stripe.PaymentIntent;
      return { paymentIntentId: intent.id, operationId: operationIdIn(intent.metadata) };
    }
    case 'checkout.session': {
      const session = object as Stripe.Checkout.Session;
      return { checkoutSessionId: session.id, operationId: operationIdIn(session.metadata) };
    }
    case 'subscription': {
      const subscription = object as Stripe.Subscription;
      return { subscriptionId: subscription.id, operationId: operationIdIn(subscription.metadata) };
    }
    default:
      return undefined;
  }
}
