import type { SavedIdempotentResult } from './infrastructure/idempotency';
import type { Resource } from './resource-types';
import { resourceMissing } from './stripe-error';

export type CardBehaviour = 'succeeds' | 'declined' | 'requires_authentication' | 'fails_when_charged';

/** What a subscription update waiting for payment (`pending_if_incomplete`) will apply. */
export interface PendingUpdatePlan {
  invoiceId: string;
  expiresAt: number;
  items: Array<{
    id: string;
    priceId: string;
    quantity: number;
    metadata: Record<string, string>;
    discounts: string[];
  }>;
  period: { start: number; end: number };
  billingCycleAnchorReset: boolean;
  trialEnd: number | null;
}

/** Emulator bookkeeping that Stripe does not expose as fields. */
export interface InternalState {
  cardBehaviours: Record<string, CardBehaviour>;
  invoicePaymentIntents: Record<string, string>;
  paymentIntentInvoices: Record<string, string>;
  pendingUpdates: Record<string, PendingUpdatePlan>;
  trialWillEndSent: Record<string, number>;
  failedEventIds: Record<string, true>;
  idempotentResults: Record<string, SavedIdempotentResult>;
  onceDiscountInvoices: Record<string, string>;
  invoicesAwaitingAuthentication: Record<string, true>;
}

export interface StoreSnapshot {
  objects: Resource[];
  internal: InternalState;
}

function emptyInternal(): InternalState {
  return {
    cardBehaviours: {},
    invoicePaymentIntents: {},
    paymentIntentInvoices: {},
    pendingUpdates: {},
    trialWillEndSent: {},
    failedEventIds: {},
    idempotentResults: {},
    onceDiscountInvoices: {},
    invoicesAwaitingAuthentication: {},
  };
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * All resources by id and by type, in creation order, plus internal bookkeeping.
 * A unit of work is journaled: the first time it touches a resource, a copy of the
 * original is kept, so a rollback restores only what the unit touched (cheap even
 * when the state is large).
 */
export class EmulatorStore {
  private objects = new Map<string, Resource>();
  private byType = new Map<string, Map<string, Resource>>();
  private journal: Map<string, Resource | null> | null = null;
  private internalBefore: string | null = null;
  internal: InternalState = emptyInternal();

  insert<T extends Resource>(resource: T): T {
    this.touch(resource.id);
    this.objects.set(resource.id, resource);
    this.typeMap(resource.object).set(resource.id, resource);
    return resource;
  }

  get(id: string): Resource | undefined {
    this.touch(id);
    return this.objects.get(id);
  }

  find<T extends Resource>(object: string, id: string): T | undefined {
    const resource = this.get(id);
    return resource && resource.object === object ? (resource as T) : undefined;
  }

  /** Fetches or raises Stripe's 404 `resource_missing` (`No such customer: 'cus_x'`). */
  require<T extends Resource>(object: string, id: string, param = 'id', label = object.replace(/_/g, ' ')): T {
    const resource = this.find<T>(object, id);
    if (!resource || resource.deleted === true) throw resourceMissing(label, id, param);
    return resource;
  }

  remove(id: string): void {
    this.touch(id);
    const resource = this.objects.get(id);
    if (resource) this.typeMap(resource.object).delete(id);
    this.objects.delete(id);
  }

  /** Newest first, as Stripe lists. */
  all<T extends Resource>(object: string, predicate: (resource: T) => boolean = () => true): T[] {
    const matches: T[] = [];
    for (const resource of this.typeMap(object).values()) {
      if (resource.deleted !== true && predicate(resource as T)) matches.push(resource as T);
    }
    for (const match of matches) this.touch(match.id);
    return matches.reverse();
  }

  /** Starts journaling a unit of work. */
  begin(): void {
    this.journal = new Map();
    this.internalBefore = JSON.stringify({ ...this.internal, idempotentResults: undefined });
  }

  /** Keeps the unit's changes. */
  commit(): void {
    this.journal = null;
    this.internalBefore = null;
  }

  /** Puts back everything the unit touched, and the internal bookkeeping. */
  rollback(): void {
    if (!this.journal) return;
    const journal = this.journal;
    this.journal = null;
    for (const [id, original] of journal) {
      if (original) {
        // Map#set on a present key keeps its position, so list order survives a rollback.
        this.objects.set(id, original);
        this.typeMap(original.object).set(id, original);
      } else {
        const current = this.objects.get(id);
        if (current) this.typeMap(current.object).delete(id);
        this.objects.delete(id);
      }
    }
    const idempotentResults = this.internal.idempotentResults;
    this.internal = { ...(JSON.parse(this.internalBefore ?? '{}') as InternalState), idempotentResults };
    this.internalBefore = null;
  }

  snapshot(): StoreSnapshot {
    return clone({ objects: [...this.objects.values()], internal: this.internal });
  }

  restore(snapshot: StoreSnapshot): void {
    this.objects = new Map();
    this.byType = new Map();
    for (const resource of snapshot.objects) {
      this.objects.set(resource.id, resource);
      this.typeMap(resource.object).set(resource.id, resource);
    }
    this.internal = { ...emptyInternal(), ...snapshot.internal };
  }

  reset(): void {
    this.objects.clear();
    this.byType.clear();
    this.internal = emptyInternal();
  }

  private touch(id: string): void {
    if (!this.journal || this.journal.has(id)) return;
    const existing = this.objects.get(id);
    this.journal.set(id, existing ? clone(existing) : null);
  }

  private typeMap(object: string): Map<string, Resource> {
    let map = this.byType.get(object);
    if (!map) {
      map = new Map();
      this.byType.set(object, map);
    }
    return map;
  }
}
