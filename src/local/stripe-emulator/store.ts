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

/** All resources by id, in creation order, plus internal bookkeeping. */
export class EmulatorStore {
  private objects = new Map<string, Resource>();
  internal: InternalState = emptyInternal();

  insert<T extends Resource>(resource: T): T {
    this.objects.set(resource.id, resource);
    return resource;
  }

  get(id: string): Resource | undefined {
    return this.objects.get(id);
  }

  find<T extends Resource>(object: string, id: string): T | undefined {
    const resource = this.objects.get(id);
    return resource && resource.object === object ? (resource as T) : undefined;
  }

  /** Fetches or raises Stripe's 404 `resource_missing` (`No such customer: 'cus_x'`). */
  require<T extends Resource>(object: string, id: string, param = 'id', label = object.replace(/_/g, ' ')): T {
    const resource = this.find<T>(object, id);
    if (!resource || resource.deleted === true) throw resourceMissing(label, id, param);
    return resource;
  }

  remove(id: string): void {
    this.objects.delete(id);
  }

  /** Newest first, as Stripe lists. */
  all<T extends Resource>(object: string, predicate: (resource: T) => boolean = () => true): T[] {
    const matches: T[] = [];
    for (const resource of this.objects.values()) {
      if (resource.object === object && resource.deleted !== true && predicate(resource as T))
        matches.push(resource as T);
    }
    return matches.reverse();
  }

  snapshot(): StoreSnapshot {
    return JSON.parse(
      JSON.stringify({ objects: [...this.objects.values()], internal: this.internal }),
    ) as StoreSnapshot;
  }

  restore(snapshot: StoreSnapshot): void {
    this.objects = new Map(snapshot.objects.map((resource) => [resource.id, resource]));
    this.internal = { ...emptyInternal(), ...snapshot.internal };
  }

  reset(): void {
    this.objects.clear();
    this.internal = emptyInternal();
  }
}
