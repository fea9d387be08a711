import type { IncomingMessage } from 'node:http';
import { StripeEmulatorError } from '../stripe-error';

/**
 * Any `sk_test_...` secret key is accepted. NOTE: Stripe answers a missing or invalid key
 * with 401 and type invalid_request_error; the SDK raises StripeAuthenticationError for it.
 */
/** Bearer auth as the SDK sends it, or Basic auth with the key as user name (`curl -u sk_test_...:`). */
function apiKeyOf(header: string): string {
  if (header.startsWith('Bearer ')) return header.slice(7).trim();
  if (header.startsWith('Basic ')) return Buffer.from(header.slice(6), 'base64').toString('utf8').split(':')[0] ?? '';
  return '';
}

export function authenticate(request: IncomingMessage): void {
  const key = apiKeyOf(request.headers.authorization ?? '');
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
