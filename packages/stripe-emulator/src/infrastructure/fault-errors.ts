import type { FaultSpec } from './faults';
import { StripeEmulatorError } from '../stripe-error';

/**
 * Stripe's error for each injected fault kind. NOTE: types follow shared/STRIPE.md
 * (429 rate_limit_error); a lock timeout carries `Stripe-Should-Retry: true`.
 */
export function faultError(fault: FaultSpec, headers?: Record<string, string>): StripeEmulatorError {
  if (fault.kind === 'rate_limit_429') {
    return new StripeEmulatorError(429, {
      type: 'rate_limit_error',
      code: 'rate_limit',
      message: 'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
    });
  }
  if (fault.kind === 'lock_timeout_429') {
    return new StripeEmulatorError(
      429,
      {
        type: 'invalid_request_error',
        code: 'lock_timeout',
        message:
          'This object cannot be accessed right now because another API request or Stripe process is currently accessing it. If you see this error intermittently, retry the request. If you see this error frequently and are making multiple concurrent requests to a single object, make your requests serially or at a lower rate.',
      },
      { 'Stripe-Should-Retry': 'true' },
    );
  }
  if (fault.kind === 'invalid_request_400') {
    return new StripeEmulatorError(400, {
      type: 'invalid_request_error',
      code: 'parameter_invalid',
      message: 'Injected refusal: this request was refused and nothing was done.',
    });
  }
  return new StripeEmulatorError(500, { type: 'api_error', message: 'An unknown error occurred' }, headers);
}
