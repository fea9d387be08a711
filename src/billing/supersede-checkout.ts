import type { BillingDeps } from './billing-deps';
import { operations } from './operation-journal';
import { stepKey } from './step-key';
import { runOperation } from './run-operation';
import { translateStripeError } from '../stripe/stripe-errors';

/**
 * Frees the lane an open Checkout holds, when the customer explicitly starts another change
 * (`supersede: true`): the session is expired in Stripe first — after that it can never be paid, so
 * two Checkouts can never both charge — and only then is its operation failed (`superseded`).
 * A session Stripe refuses to expire was completed meanwhile: its operation is carried forward
 * (purchase recorded), and the new change then meets a changed subscription (409 quote_stale).
 * True when the lane is free to claim again; false when the holder is not an open Checkout or
 * someone else (a webhook, the janitor) is working on it right now.
 */
export async function supersedeCheckout(deps: BillingDeps, operationId: string): Promise<boolean> {
  const found = await operations.find(deps.dataSource, operationId);
  const checkout = found?.kind === 'checkout' || found?.kind === 'payment_method';
  if (!found || !checkout || found.state !== 'awaiting_customer' || !found.stripeObjectId) return false;
  const operation = await operations.takeLease(deps.dataSource, operationId);
  if (!operation?.stripeObjectId) return false;
  const sessionId = operation.stripeObjectId;
  try {
    const session = await deps.stripe.checkout.sessions.retrieve(sessionId);
    if (session.status === 'open')
      await deps.stripe.checkout.sessions.expire(sessionId, {}, { idempotencyKey: stepKey(operation, 'expire') });
  } catch (error) {
    // NOTE: "Only Checkout Sessions with a status in ["open"] can be expired": paid (or expired) meanwhile.
    deps.logger.info('open checkout could not be expired; settling it instead', { operationId, error: String(error) });
  }
  try {
    const session = await deps.stripe.checkout.sessions.retrieve(sessionId);
    if (session.status === 'expired') {
      await operations.finish(deps.dataSource.manager, operation.id, 'failed', { status: 'superseded' });
      return true;
    }
  } catch (error) {
    await operations.releaseLease(deps.dataSource, operation.id);
    throw translateStripeError(error);
  }
  // complete: record its purchase (the lease is ours); the caller's quote is then stale
  await runOperation(deps, operation);
  const after = await operations.find(deps.dataSource, operation.id);
  return after?.state === 'completed' || after?.state === 'failed';
}
