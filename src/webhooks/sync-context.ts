import type { EntityManager, QueryRunner } from 'typeorm';
import type { PriceCodeResolver } from './price-codes';
import type { StripeObjects } from './stripe-objects';
import type { SubscriptionMirror } from './subscription-mirror';

/** What a sync needs: one connection (locks and transaction share it), Stripe, and the price → code map. */
export interface SyncContext {
  runner: QueryRunner;
  stripe: StripeObjects;
  resolvePrice: PriceCodeResolver;
}

/** The object a sync wrote, handed to the caller's step inside the same transaction. */
export interface SyncTarget {
  accountId: string;
  /** Mirror fields that changed ([] when the mirror already matched Stripe). */
  changes: string[];
}

/** A caller's extra step run in the sync's transaction (e.g. record the effect, mark the event processed). */
export type InSyncTransaction = (manager: EntityManager, target: SyncTarget) => Promise<void>;

/** A subscription's mirror row as its sync left it: Stripe's side, and the scheduled change billing keeps on it. */
export interface MirroredRow {
  mirror: SubscriptionMirror;
  scheduledChange: Record<string, unknown> | null;
}

export type SyncResult =
  /** `row`: set by a subscription's sync (the row now committed), for answers that show it. */
  | { outcome: 'synced'; id: string; accountId: string; changes: string[]; row?: MirroredRow }
  | { outcome: 'unknown_customer'; id: string; customerId: string | null }
  /** Stripe holds another live subscription for the account: not mirrored, an operator must resolve it. */
  | { outcome: 'second_live'; id: string; accountId: string; liveIds: string[] };
