import type { BillingDeps } from './billing-deps';
import { operations, type Operation, type OperationState } from './operation-journal';
import { runOperation } from './run-operation';

/** Stripe objects an event names; any one of them may lead to an operation waiting on the customer. */
export interface StripeReferences {
  /** `metadata.tierlift_operation_id` on a Checkout session, its subscription or its PaymentIntent. */
  operationId?: string | null;
  invoiceId?: string | null;
  paymentIntentId?: string | null;
  checkoutSessionId?: string | null;
  subscriptionId?: string | null;
}

/** Where one waiting operation stands after Stripe was asked. */
export interface Settlement {
  operationId: string;
  accountId: string;
  state: OperationState;
  /** The change's status (`applied`, `expired`, `requires_action`, …). */
  status: string | undefined;
  /** True when this call finished the operation (completed or failed); false when it still waits or was finished before. */
  settledNow: boolean;
}

/** Another worker (a GET, the janitor, another event) holds the operation's lease: try again shortly. */
export class OperationBusyError extends Error {
  constructor(operationId: string) {
    super(`billing operation ${operationId} is being carried forward by another worker; retry shortly`);
    this.name = 'OperationBusyError';
  }
}

/**
 * Carries forward every operation waiting on the customer (3-D Secure, a new card, Checkout)
 * that these Stripe objects refer to, as soon as Stripe reports on them: the same `runOperation`
 * under the same lease as GET /v1/changes/{id} and the janitor, so whichever comes first
 * finishes it, once, and the others find it finished. Operations already finished, or that no
 * object refers to, cost one query and no Stripe call.
 * NOTE: a lease held by someone else is waited for briefly, then OperationBusyError is thrown
 * rather than assuming the holder saw the payment (it may have read Stripe just before); the
 * caller (the webhook worker) retries the event later.
 */
export async function settleFromStripe(deps: BillingDeps, refs: StripeReferences): Promise<Settlement[]> {
  const waiting = await operations.awaitingFor(deps.dataSource, refs);
  const settlements: Settlement[] = [];
  for (const operation of waiting) settlements.push(await settleOne(deps, operation));
  return settlements;
}

/** How long to wait for another worker's lease (a GET or another event is usually done within this). */
const BUSY_WAIT_MS = 3_000;
const BUSY_POLL_MS = 100;

async function settleOne(deps: BillingDeps, operation: Operation): Promise<Settlement> {
  const giveUpAt = Date.now() + BUSY_WAIT_MS;
  for (;;) {
    const leased = await operations.takeLease(deps.dataSource, operation.id);
    if (leased) {
      await runOperation(deps, leased);
      const after = (await operations.find(deps.dataSource, operation.id)) ?? leased;
      return settlement(after, after.state === 'completed' || after.state === 'failed');
    }
    const now = await operations.find(deps.dataSource, operation.id);
    if (now?.state === 'completed' || now?.state === 'failed') return settlement(now, false);
    // NOTE: the holder may have read Stripe just before the payment and will release the lease
    // still waiting; taking it over then (or retrying the event later) is what finishes the change.
    if (Date.now() >= giveUpAt) throw new OperationBusyError(operation.id);
    await new Promise((resolve) => setTimeout(resolve, BUSY_POLL_MS));
  }
}

function settlement(operation: Operation, settledNow: boolean): Settlement {
  const status = operation.result?.status;
  return {
    operationId: operation.id,
    accountId: operation.accountId,
    state: operation.state,
    status: typeof status === 'string' ? status : undefined,
    settledNow,
  };
}
