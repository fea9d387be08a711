import { definitelyRefused, translateStripeError } from '../stripe/stripe-errors';
import type { BillingDeps } from './billing-deps';
import { operations, type Operation } from './operation-journal';

/**
 * One Stripe step of an operation: journalled as `sent` first; a definite refusal fails
 * the operation (nothing happened), any other failure leaves it `sent` with its lease
 * released, so the client's retry or the janitor rolls it forward with the same key.
 * NOTE: no database transaction is open while Stripe is called. `journalled`: this run has already
 * written `sent` before an earlier step and nothing has ended or parked the operation since (the
 * caller knows): that record covers this step too, so it is not written again.
 */
export async function callStripe<T>(
  deps: BillingDeps,
  operation: Operation,
  call: () => Promise<T>,
  options: { journalled?: boolean } = {},
): Promise<T> {
  if (!options.journalled) await operations.markSent(deps.dataSource, operation.id);
  try {
    return await call();
  } catch (error) {
    if (definitelyRefused(error)) {
      const translated = translateStripeError(error);
      await operations.finish(deps.dataSource.manager, operation.id, 'failed', {
        status: 'failed',
        error: { code: translated.code, message: translated.message },
      });
      throw translated;
    }
    deps.logger.warn('stripe step interrupted; the operation stays sent for a retry', {
      operationId: operation.id,
      error: String(error),
    });
    await operations.releaseLease(deps.dataSource, operation.id);
    throw translateStripeError(error);
  }
}

/** Reads from Stripe for a resumed operation; a failure leaves the operation for the next try. */
export async function askStripe<T>(deps: BillingDeps, operation: Operation, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    await operations.releaseLease(deps.dataSource, operation.id);
    throw translateStripeError(error);
  }
}
