import type { EmulatorCore } from '../emulator-core';
import type { EmulatorControl } from '../emulator-options';
import { failAuthentication, succeedPaymentIntent } from '../billing/payment-intents';
import { createDispute } from '../billing/refunds';
import { settlePaymentIntent } from '../billing/settle-payment-intent';
import type { FaultInjector } from '../infrastructure/faults';
import type { IdempotencyKeys } from '../infrastructure/idempotency';
import type { RequestLog } from '../infrastructure/request-log';
import { renderResource } from '../render';
import type { PaymentIntent } from '../resource-types';
import { invalidRequest } from '../stripe-error';
import type { WebhookDispatcher } from '../webhooks/webhook-dispatcher';

export interface ControlDependencies {
  core: EmulatorCore;
  faults: FaultInjector;
  idempotency: IdempotencyKeys;
  requestLog: RequestLog;
  dispatcher: WebhookDispatcher;
}

const CONTROL_UNIT = { requestId: null, idempotencyKey: null, mutates: true };

function requireActionIntent(core: EmulatorCore, id: string): PaymentIntent {
  const paymentIntent = core.store.require<PaymentIntent>('payment_intent', id, 'payment_intent', 'payment_intent');
  if (paymentIntent.status !== 'requires_action')
    throw invalidRequest(`PaymentIntent ${id} does not require authentication (status ${paymentIntent.status}).`);
  return paymentIntent;
}

/** The in-process test controls; the HTTP control routes call the same object. */
export function createEmulatorControl(deps: ControlDependencies): EmulatorControl {
  const { core, faults, idempotency, requestLog, dispatcher } = deps;
  return {
    async reset() {
      core.store.reset();
      idempotency.clear();
      faults.clear();
      dispatcher.clearPending();
      dispatcher.mode = { duplicates: 0, shuffle: false, paused: false };
      core.persist();
    },
    async injectFault(fault) {
      faults.inject(fault);
    },
    async clearFaults() {
      faults.clear();
    },
    async requestLog(filter) {
      return requestLog.list(filter);
    },
    async clearRequestLog() {
      requestLog.clear();
    },
    async completeAuthentication(paymentIntentId) {
      core.run(CONTROL_UNIT, (context) => {
        const paymentIntent = requireActionIntent(core, paymentIntentId);
        succeedPaymentIntent(context, paymentIntent, paymentIntent.payment_method ?? '');
        settlePaymentIntent(context, paymentIntent);
      });
    },
    async failAuthentication(paymentIntentId) {
      core.run(CONTROL_UNIT, (context) => {
        const paymentIntent = requireActionIntent(core, paymentIntentId);
        failAuthentication(context, paymentIntent);
        settlePaymentIntent(context, paymentIntent);
      });
    },
    async setDeliveryMode(mode) {
      dispatcher.mode = { ...dispatcher.mode, ...mode };
    },
    async flushDeliveries() {
      await dispatcher.flush();
    },
    async pendingDeliveries() {
      return dispatcher.pendingDeliveries();
    },
    async deliverEvent(eventId, endpointId) {
      await dispatcher.deliver(eventId, endpointId);
    },
    async waitForDeliveries() {
      await dispatcher.idle();
    },
    async createDispute(chargeId, options) {
      return core.run(CONTROL_UNIT, (context) =>
        renderResource(context.store, createDispute(context, chargeId, options)),
      );
    },
  };
}
