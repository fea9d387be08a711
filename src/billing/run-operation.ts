import { AppError } from '../shared/errors';
import { translateStripeError } from '../stripe/stripe-errors';
import { applySubscriptionUpdate, type UpdateParams } from './apply-subscription-update';
import type { BillingDeps } from './billing-deps';
import type { ChangeOutcome } from './change-outcome';
import { applyCredit, type CreditParams } from './customer-credit';
import { applyTrialEnd, type ExtendTrialParams } from './extend-trial';
import { chargeOneTime, type OneTimeParams } from './charge-one-time';
import { openCheckout, type CheckoutParams } from './open-checkout';
import { OperationAlreadyFinished, operations, type Operation } from './operation-journal';
import {
  cancelSchedule,
  scheduleDowngrade,
  type CancelScheduleParams,
  type ScheduleParams,
} from './schedule-downgrade';
import { sendInvoice, type SendInvoiceParams } from './send-invoice';
import { setCancellation, type CancellationParams } from './set-cancellation';
import { updatePaymentMethod, type PaymentMethodParams } from './update-payment-method';

/**
 * Runs (or resumes) one journalled operation, whoever holds its lease: the request that
 * claimed it, a client's retry, or the janitor. Every step is safe to repeat.
 */
export async function runOperation(deps: BillingDeps, operation: Operation): Promise<ChangeOutcome> {
  try {
    const params = operation.stripeParams;
    switch (operation.kind) {
      case 'update':
        return await applySubscriptionUpdate(deps, operation, params as unknown as UpdateParams);
      case 'schedule':
        return await scheduleDowngrade(deps, operation, params as unknown as ScheduleParams);
      case 'checkout':
        return await openCheckout(deps, operation, params as unknown as CheckoutParams);
      case 'one_time':
        return await chargeOneTime(deps, operation, params as unknown as OneTimeParams);
      case 'cancel':
      case 'resume':
        return await setCancellation(deps, operation, params as unknown as CancellationParams);
      case 'cancel_schedule':
        return await cancelSchedule(deps, operation, params as unknown as CancelScheduleParams);
      case 'payment_method':
        return await updatePaymentMethod(deps, operation, params as unknown as PaymentMethodParams);
      case 'credit':
        return await applyCredit(deps, operation, params as unknown as CreditParams);
      case 'send_invoice':
        return await sendInvoice(deps, operation, params as unknown as SendInvoiceParams);
      case 'extend_trial':
        return await applyTrialEnd(deps, operation, params as unknown as ExtendTrialParams);
    }
  } catch (error) {
    if (error instanceof OperationAlreadyFinished) {
      const finished = await operations.find(deps.dataSource, operation.id);
      return (finished?.result ?? {}) as ChangeOutcome;
    }
    if (!(error instanceof AppError)) {
      deps.logger.warn('billing operation interrupted', { operationId: operation.id, error: String(error) });
      await operations.releaseLease(deps.dataSource, operation.id).catch(() => undefined);
    }
    throw translateStripeError(error);
  }
}
