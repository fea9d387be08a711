import type { IncomingMessage } from 'node:http';
import { StripeEmulatorError } from '../stripe-error';

/**
 * Any `sk_test_...` secret key is accepted. NOTE: Stripe answers a missing or invalid key
 * with 401 and type invalid_request_error; the SDK raises StripeAuthenticationError for it.
 */
export function authenticate(request: IncomingMessage): void {
  const header = request.headers.authorization ?? '';
  const key = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
  if (!key) {
    throw new StripeEmulatorError(401, {
      type: 'invalid_request_error',
      message:
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    });
  }
  if (!/^sk_test_\w+$/.test(key))
    throw new StripeEmulatorError(401, {
      type: 'invalid_request_error',
      message: `Invalid API Key provided: ${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`,
    });
}
