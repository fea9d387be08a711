import { recordCancellation, type CancelReason } from '../lifecycle/cancellations.repository';
import type { BillingDeps } from './billing-deps';
import { callStripe } from './call-stripe';
import type { ChangeOutcome } from './change-outcome';
import { mirrorSubscription } from './mirror-subscription';
import { operations, type Operation } from './operation-journal';
import { stepKey } from './step-key';

export interface CancellationParams {
  subscription: string;
  /** Absent on a quote to the free plan: that is a cancellation. */
  cancel_at_period_end?: boolean;
  /** Why the customer cancels (optional; issue #20), recorded with the cancellation. */
  reason?: CancelReason;
  reason_text?: string;
}

export interface CancellationReason {
  reason?: CancelReason;
  reason_text?: string;
}

/**
 * Cancel at period end (the plan stays until then) or resume a subscription set to end.
 * NOTE: setting the flag is idempotent in itself; the derived key also makes the retry replay.
 */
export async function setCancellation(
  deps: BillingDeps,
  operation: Operation,
  params: CancellationParams,
): Promise<ChangeOutcome> {
  const cancel = params.cancel_at_period_end ?? operation.kind === 'cancel';
  const subscription = await callStripe(deps, operation, () =>
    deps.stripe.subscriptions.update(
      params.subscription,
      { cancel_at_period_end: cancel },
      { idempotencyKey: stepKey(operation, operation.kind) },
    ),
  );
  await mirrorSubscription(deps, subscription.id);
  const periodEnd = subscription.items.data[0]?.current_period_end;
  const outcome: ChangeOutcome = {
    status: cancel ? 'cancel_scheduled' : 'resumed',
    ...(cancel && periodEnd ? { effective_at: new Date(periodEnd * 1000).toISOString() } : {}),
  };
  await deps.dataSource.transaction(async (manager) => {
    await operations.finish(manager, operation.id, 'completed', outcome);
    if (cancel)
      await recordCancellation(manager, {
        operationId: operation.id,
        accountId: operation.accountId,
        subscriptionId: subscription.id,
        reason: params.reason ?? null,
        reasonText: params.reason_text ?? null,
        effectiveAt: periodEnd ? new Date(periodEnd * 1000) : null,
        at: deps.clock.now(),
      });
  });
  return outcome;
}
