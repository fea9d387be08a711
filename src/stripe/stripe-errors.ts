import { AppError } from '../shared/errors';
import { Stripe } from './stripe-client';

/** Whether a failed Stripe call may have taken effect (we never heard the answer). */
export function outcomeUnknown(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeConnectionError || error instanceof Stripe.errors.StripeAPIError;
}

/**
 * Translates an SDK error into our error model. Card problems are the customer's
 * to fix (402); Stripe being busy or unreachable is a 503 the client may retry;
 * anything else means we sent something Stripe refused: a 502 with the detail logged.
 */
export function translateStripeError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof Stripe.errors.StripeCardError) {
    return new AppError({
      type: 'payment_error',
      status: 402,
      code: error.code ?? 'card_declined',
      message: error.message,
      details: error.decline_code ? { decline_code: error.decline_code } : undefined,
      cause: error,
    });
  }
  if (error instanceof Stripe.errors.StripeRateLimitError || isLockTimeout(error)) {
    return new AppError({
      type: 'rate_limit_error',
      status: 503,
      code: 'stripe_busy',
      message: 'Stripe is busy right now; please retry in a moment.',
      cause: error,
    });
  }
  if (!(error instanceof Stripe.errors.StripeError)) {
    // NOTE: not Stripe's answer (a database constraint, a bug): never reported as Stripe refusing.
    return new AppError({
      type: 'api_error',
      status: 500,
      code: 'internal_error',
      message: 'An unexpected error occurred; the operation is kept and can be retried.',
      cause: error,
    });
  }
  if (outcomeUnknown(error)) {
    return new AppError({
      type: 'api_error',
      status: 503,
      code: 'stripe_unavailable',
      message: 'Stripe could not be reached; nothing was confirmed. Please retry.',
      cause: error,
    });
  }
  return new AppError({
    type: 'api_error',
    status: 502,
    code: 'stripe_request_failed',
    message: 'Stripe refused the request.',
    cause: error,
  });
}

function isLockTimeout(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeError && error.code === 'lock_timeout';
}

/**
 * Whether Stripe definitely refused the request (nothing happened, retrying the same
 * request cannot succeed): a card decline or an invalid request. Rate limits, lock
 * timeouts, 5xx, 409s and lost connections are not refusals: the outcome must be asked for.
 */
export function definitelyRefused(error: unknown): boolean {
  if (error instanceof Stripe.errors.StripeIdempotencyError) return false;
  return error instanceof Stripe.errors.StripeCardError || error instanceof Stripe.errors.StripeInvalidRequestError;
}
