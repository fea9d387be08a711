import type { TierliftClient } from '../client/tierlift-client';
import type { Change } from '../client/tierlift-types';
import { rememberPendingChange } from './pending-change';
import { handleNextAction } from './stripe-next-action';
import type { WidgetStrings } from './strings';

/** What the change flow needs from the element that runs it. */
export interface ChangeFlowHost {
  client(): TierliftClient;
  strings: WidgetStrings;
  stripePublishableKey: string | undefined;
  /** Shows a message in the open dialog. */
  showResult(message: string): void;
  announce(message: string): void;
  /** The change took effect (or is scheduled). */
  finished(change: Change): void;
  fail(error: unknown): void;
  /** Dispatches a DOM event from the element; false when a listener prevented the default. */
  emit(type: string, detail: unknown, cancelable?: boolean): boolean;
}

const WAITING = new Set(['checkout_required', 'requires_action', 'in_progress']);

/** Takes a change to its outcome: done, scheduled, Checkout, or the customer's authentication. */
export async function settleChange(host: ChangeFlowHost, change: Change): Promise<void> {
  const { strings } = host;
  switch (change.status) {
    case 'applied':
    case 'scheduled':
    case 'cancel_scheduled':
      return host.finished(change);
    case 'checkout_required': {
      if (!change.checkout_url) break;
      rememberPendingChange(change.operation_id);
      host.showResult(strings.toCheckout);
      if (host.emit('tierlift:checkout', { change, url: change.checkout_url }, true))
        window.location.assign(change.checkout_url);
      return;
    }
    case 'requires_action': {
      const redirect = change.next_action?.redirect_to_url?.url;
      host.showResult(strings.authenticate);
      if (host.stripePublishableKey && change.client_secret) {
        // NOTE: real Stripe: 3-D Secure in Stripe.js's own modal; the emulator answers with a redirect instead.
        await handleNextAction(host.stripePublishableKey, change.client_secret);
      } else if (redirect) {
        rememberPendingChange(change.operation_id);
        window.location.assign(redirect);
        return;
      }
      return followChange(host, change.operation_id);
    }
    case 'requires_payment_method':
      host.showResult(strings.paymentMethod);
      return;
    case 'in_progress':
      // Another request (a retry, a webhook) is carrying the change out right now: wait for its outcome.
      return followChange(host, change.operation_id);
    default:
      break;
  }
  // NOTE: a status the person cannot act on: human copy on screen, the status in the console.
  host.fail(new Error(`the change ended as ${change.status}`));
}

/** Polls a change that waits on the customer (Checkout, 3-D Secure) until it settles. */
export async function followChange(host: ChangeFlowHost, operationId: string): Promise<void> {
  for (let attempt = 0; attempt < 40; attempt += 1) {
    let change: Change;
    try {
      change = await host.client().change(operationId);
    } catch (error) {
      host.fail(error);
      return;
    }
    // NOTE: a declined card waits for the customer, not for us: say so instead of polling on.
    if (change.status === 'requires_payment_method') return host.announce(host.strings.paymentMethod);
    if (!WAITING.has(change.status) && change.state !== 'awaiting_customer') {
      if (change.status === 'applied' || change.status === 'scheduled') return host.finished(change);
      host.fail(new Error(`the change ended as ${change.status}`));
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
  }
  // Stripe has not answered within a minute: nothing is lost, the change finishes when it does.
  host.announce(host.strings.stillWaiting);
}

/**
 * Where Checkout brings the customer back: this very page, marked `checkout=returned|canceled`, where
 * the page (or the widget) picks the change up again.
 */
export function checkoutReturnUrls(page: string): { success_url: string; cancel_url: string } {
  const back = (outcome: 'returned' | 'canceled') => {
    const url = new URL(page);
    url.hash = '';
    url.searchParams.set('checkout', outcome);
    return url.toString();
  };
  return { success_url: back('returned'), cancel_url: back('canceled') };
}
