import type { EmulatorContext } from '../emulator-context';
import { emitEvent } from '../emulator-context';
import type { Invoice, Subscription } from '../resource-types';
import { cancelSubscription } from './cancel-subscription';
import { collectInvoice } from './invoice-collection';
import { afterInvoicePaid } from './pending-updates';
import { paymentMethodFor } from './update-subscription';

/**
 * NOTE: Stripe retries a failed renewal on a schedule (here the classic 3, 5 and 7 days
 * after the previous attempt) and, once every retry failed, cancels the subscription
 * (the default "if all retries fail" setting).
 */
export const RETRY_DELAYS_DAYS = [3, 5, 7];

/** After a failed renewal attempt: when the next one happens, or null when none is left. */
export function scheduleNextAttempt(invoice: Invoice, at: number): void {
  const delay = RETRY_DELAYS_DAYS[invoice.attempt_count - 1];
  invoice.next_payment_attempt = delay === undefined ? null : at + delay * 86_400;
}

/** One scheduled retry: charge the current default card again. */
export function retryFailedRenewal(
  context: EmulatorContext,
  invoice: Invoice,
  subscription: Subscription,
  at: number,
): void {
  const outcome = collectInvoice(context, invoice, {
    paymentMethodId: paymentMethodFor(context, subscription),
    confirm: true,
    at,
  });
  if (outcome === 'paid') {
    invoice.next_payment_attempt = null;
    afterInvoicePaid(context, invoice, at);
    return;
  }
  scheduleNextAttempt(invoice, at);
  if (invoice.next_payment_attempt === null) {
    emitEvent(context, 'invoice.updated', invoice, { at });
    cancelSubscription(context, subscription, at);
  }
}
