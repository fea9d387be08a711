import type { ServerResponse } from 'node:http';
import type { EmulatorCore } from '../emulator-core';
import type { EmulatorControl } from '../emulator-options';
import type { PaymentIntent } from '../resource-types';
import { sendPage, sendRedirect } from './html-page';

/**
 * The 3-D Secure challenge a `requires_action` PaymentIntent points to (`next_action`):
 * GET shows it; POST `/complete` or `/fail` answers it and returns to `return_url`.
 */
export async function handleAuthenticationPage(
  core: EmulatorCore,
  control: EmulatorControl,
  method: string,
  url: URL,
  response: ServerResponse,
): Promise<void> {
  const [, , paymentIntentId = '', action = ''] = url.pathname.split('/');
  const paymentIntent = core.store.find<PaymentIntent>('payment_intent', paymentIntentId);
  if (!paymentIntent) return sendPage(response, 404, 'Payment not found', '');
  const returnUrl = url.searchParams.get('return_url');
  if (method === 'GET' && !action) {
    if (paymentIntent.status !== 'requires_action')
      return sendPage(response, 410, `Nothing to authenticate (${paymentIntent.status})`, '');
    const query = returnUrl ? `?return_url=${encodeURIComponent(returnUrl)}` : '';
    return sendPage(
      response,
      200,
      '3-D Secure test authentication',
      `<form method="post" action="/authenticate/${paymentIntent.id}/complete${query}"><button type="submit">Complete authentication</button></form>
<form method="post" action="/authenticate/${paymentIntent.id}/fail${query}"><button type="submit">Fail authentication</button></form>`,
    );
  }
  if (method !== 'POST' || (action !== 'complete' && action !== 'fail'))
    return sendPage(response, 404, 'Not found', '');
  if (paymentIntent.status === 'requires_action') {
    if (action === 'complete') await control.completeAuthentication(paymentIntent.id);
    else await control.failAuthentication(paymentIntent.id);
  }
  if (!returnUrl)
    return sendPage(response, 200, action === 'complete' ? 'Authentication complete' : 'Authentication failed', '');
  const target = new URL(returnUrl);
  target.searchParams.set('payment_intent', paymentIntent.id);
  target.searchParams.set('payment_intent_client_secret', paymentIntent.client_secret);
  target.searchParams.set('redirect_status', action === 'complete' ? 'succeeded' : 'failed');
  sendRedirect(response, target.toString());
}
