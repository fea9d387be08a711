import type { ServerResponse } from 'node:http';
import type { EmulatorCore } from '../emulator-core';
import { type CheckoutSession, completeCheckout, expireCheckout } from '../billing/complete-checkout';
import { formatAmount } from '../money/money-format';
import { StripeEmulatorError } from '../stripe-error';
import { TEST_CARDS } from '../billing/test-cards';
import { decodeForm } from './form-decoder';
import { escapeHtml, sendPage, sendRedirect } from './html-page';

function redirect(response: ServerResponse, location: string | null, sessionId: string, fallback: string): void {
  if (!location) return sendPage(response, 200, fallback, '');
  sendRedirect(response, location.replace('{CHECKOUT_SESSION_ID}', sessionId));
}

function checkoutForm(session: CheckoutSession): string {
  const lines = session.line_items.data
    .map(
      (item) =>
        `<li>${item.quantity} × ${escapeHtml(String(item.description ?? item.price.id))}: ${formatAmount(Number(item.amount_total), session.currency)}</li>`,
    )
    .join('');
  const cards = Object.keys(TEST_CARDS)
    .map((card) => `<option value="${card}">${card}</option>`)
    .join('');
  return `<ul>${lines}</ul><p>Total: ${formatAmount(session.amount_total, session.currency)}</p>
<form method="post" action="/checkout/${session.id}/pay"><select name="card">${cards}</select><button type="submit">${session.mode === 'setup' ? 'Save card' : 'Pay'}</button></form>
<form method="post" action="/checkout/${session.id}/cancel"><button type="submit">Cancel</button></form>`;
}

/** The hosted Checkout page: GET shows it, POST `/pay` completes it with a test card, POST `/cancel` expires it. */
export function handleCheckoutPage(
  core: EmulatorCore,
  method: string,
  url: URL,
  body: string,
  response: ServerResponse,
): void {
  const [, , sessionId = '', action = ''] = url.pathname.split('/');
  const session = core.store.find<CheckoutSession>('checkout.session', sessionId);
  if (!session) return sendPage(response, 404, 'Checkout session not found', '');
  if (method === 'GET' && !action) {
    if (session.status !== 'open') return sendPage(response, 410, `This Checkout Session is ${session.status}`, '');
    return sendPage(
      response,
      200,
      session.mode === 'setup'
        ? 'Save a card for future payments'
        : `Pay ${formatAmount(session.amount_total, session.currency)}`,
      checkoutForm(session),
    );
  }
  if (method !== 'POST' || (action !== 'pay' && action !== 'cancel')) return sendPage(response, 404, 'Not found', '');
  try {
    core.run({ requestId: null, idempotencyKey: null, mutates: true }, (context) => {
      // Fetched again inside the unit of work, so a failed payment rolls the session back too.
      const current = context.store.require<CheckoutSession>('checkout.session', session.id);
      if (action === 'pay') completeCheckout(context, current, String(decodeForm(body).card ?? 'pm_card_visa'));
      else expireCheckout(context, current);
    });
  } catch (error) {
    const message = error instanceof StripeEmulatorError ? error.message : 'Something went wrong';
    const latest = core.store.find<CheckoutSession>('checkout.session', session.id) ?? session;
    return sendPage(response, 402, message, latest.status === 'open' ? checkoutForm(latest) : '');
  }
  if (action === 'pay') redirect(response, session.success_url, session.id, 'Payment complete');
  else redirect(response, session.cancel_url, session.id, 'Checkout canceled');
}
