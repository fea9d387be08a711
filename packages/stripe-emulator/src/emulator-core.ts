import type { EmulatorContext } from './emulator-context';
import type { EmulatorLog } from './emulator-options';
import { saveStateFile } from './infrastructure/state-file';
import { EmulatorStore } from './store';
import { StripeEmulatorError } from './stripe-error';
import type { WebhookDispatcher } from './webhooks/webhook-dispatcher';

export interface UnitOfWorkMeta {
  requestId: string | null;
  idempotencyKey: string | null;
  mutates: boolean;
  /** Roll everything back even on success (previews). */
  discardChanges?: boolean;
}

/**
 * The emulator's state and the one way to change it: a unit of work that commits
 * (persist, then dispatch its events) or rolls back entirely, like a Stripe request.
 * Units run synchronously, so two never interleave even while other requests wait
 * on the network (an injected delay, say); the store's single journal relies on it.
 */
export class EmulatorCore {
  readonly store = new EmulatorStore();
  baseUrl = '';
  dispatcher: WebhookDispatcher | null = null;

  constructor(
    readonly realNow: () => number,
    private readonly statePath: string | undefined,
    readonly log: EmulatorLog,
  ) {}

  run<T>(meta: UnitOfWorkMeta, work: (context: EmulatorContext) => T): T {
    const journaled = meta.mutates || Boolean(meta.discardChanges);
    if (journaled) this.store.begin();
    const context: EmulatorContext = {
      store: this.store,
      realNow: this.realNow,
      baseUrl: this.baseUrl,
      request: { id: meta.requestId, idempotency_key: meta.idempotencyKey },
      outbox: [],
      deferred: [],
    };
    try {
      const result = work(context);
      if (meta.discardChanges) this.store.rollback();
      else this.commit(context, meta.mutates);
      return result;
    } catch (error) {
      if (error instanceof StripeEmulatorError && error.keepsChanges) this.commit(context, meta.mutates);
      else if (journaled) this.store.rollback();
      throw error;
    }
  }

  persist(): void {
    if (this.statePath) saveStateFile(this.statePath, this.store.snapshot());
  }

  private commit(context: EmulatorContext, mutates: boolean): void {
    this.store.commit();
    if (mutates) this.persist();
    this.dispatcher?.enqueue(context.outbox);
    for (const work of context.deferred) setImmediate(() => this.runDeferred(work));
  }

  private runDeferred(work: (context: EmulatorContext) => void): void {
    try {
      this.run({ requestId: null, idempotencyKey: null, mutates: true }, work);
    } catch (error) {
      this.log('error', 'deferred emulator work failed', { error: String(error) });
    }
  }
}
