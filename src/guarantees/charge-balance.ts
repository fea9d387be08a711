import type { Stripe } from '../stripe/stripe-client';
import { translateStripeError } from '../stripe/stripe-errors';
import type { GuaranteeDeps } from './guarantee-deps';
import type { ClaimablePurchase } from './guarantee-purchases.repository';

/** What Stripe says the purchase's charge captured and has refunded so far (Stripe is the truth for money). */
export async function chargeBalance(
  deps: GuaranteeDeps,
  purchase: Pick<ClaimablePurchase, 'stripeChargeId' | 'stripePaymentIntentId'>,
): Promise<{ captured: number; refunded: number }> {
  try {
    let charge: Stripe.Charge | null = null;
    if (purchase.stripeChargeId) charge = await deps.stripe.charges.retrieve(purchase.stripeChargeId);
    else if (purchase.stripePaymentIntentId) {
      const intent = await deps.stripe.paymentIntents.retrieve(purchase.stripePaymentIntentId, {
        expand: ['latest_charge'],
      });
      charge = typeof intent.latest_charge === 'object' ? intent.latest_charge : null;
    }
    if (!charge || charge.status !== 'succeeded') return { captured: 0, refunded: 0 };
    return { captured: charge.amount_captured, refunded: charge.amount_refunded };
  } catch (error) {
    throw translateStripeError(error);
  }
}
