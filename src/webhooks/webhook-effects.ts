import type { EntityManager } from 'typeorm';

/** One effect of one event, recorded once in the same transaction as the state change it describes. */
export interface WebhookEffect {
  eventId: string;
  eventType: string;
  /** What happened, e.g. `customer.subscription.updated` → the subscription mirror was synced. */
  effect: string;
  targetId: string | null;
  accountId: string | null;
}

/**
 * Other modules (entitlements, offer conversions, guarantees) react here. A hook runs
 * inside the effect's transaction and only the first time the effect is recorded, so
 * it happens exactly once however often the event is delivered or replayed.
 */
export interface WebhookHooks {
  onEffect?(manager: EntityManager, effect: WebhookEffect): Promise<void>;
  /**
   * Billing finishes the changes waiting on the customer that the event's objects refer to
   * (`billing.settleFromStripe`, wired in the composition root). Called before the event's own
   * sync, outside any transaction or object lock, because it calls Stripe; it is safe to repeat,
   * and a throw fails the event so that it is retried.
   */
  settleBilling?(refs: BillingReferences): Promise<BillingSettlement[]>;
}

/** The Stripe objects an event names, by which billing finds an operation waiting on the customer. */
export interface BillingReferences {
  operationId?: string | null;
  invoiceId?: string | null;
  paymentIntentId?: string | null;
  checkoutSessionId?: string | null;
  subscriptionId?: string | null;
}

/** One waiting operation as billing left it; `settledNow` when this call completed or failed it. */
export interface BillingSettlement {
  operationId: string;
  accountId: string;
  state: string;
  settledNow: boolean;
}

/** Records the effect; runs the hooks only when it is new. Returns whether it was new. */
export async function recordEffect(
  manager: EntityManager,
  effect: WebhookEffect,
  hooks: WebhookHooks,
): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `INSERT INTO webhook_effects (event_id, effect, target_id) VALUES ($1, $2, $3)
     ON CONFLICT (event_id, effect) DO NOTHING RETURNING event_id`,
    [effect.eventId, effect.effect, effect.targetId],
  );
  if (rows.length === 0) return false;
  await hooks.onEffect?.(manager, effect);
  return true;
}
