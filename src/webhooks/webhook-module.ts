import type { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import type { Logger } from '../shared/logger';
import { priceCodeResolver, type PriceCodeResolver } from './price-codes';
import { webhookEventProcessor, type ProcessWebhookEvent } from './process-webhook-event';
import { stripeWebhookReceiver, type ReceiveStripeWebhook } from './receive-stripe-webhook';
import { recentReconciliationRuns } from './reconciliation-runs.repository';
import { reconcileSubscriptions, type ReconciliationReport } from './reconcile-subscriptions';
import { replayWebhookEvent, replayWebhookRange, type RangeReplay } from './replay-webhook-event';
import type { StripeObjects } from './stripe-objects';
import type { WebhookHooks } from './webhook-effects';
import type { WebhookEventRow, WebhookEventStatus } from './webhook-event';
import { webhookInbox } from './webhook-inbox.repository';
import { WebhookQueue } from './webhook-queue';

export interface WebhookSettings {
  maxAttempts: number;
  retryDelaySeconds: number;
  leaseSeconds: number;
  batchSize: number;
  pollingIntervalSeconds: number;
  /** Undefined: this instance does not schedule reconciliation. */
  reconcileCron?: string;
  sweepCron: string;
  /** A `received` row older than this with no job is re-queued by the sweep. */
  sweepAfterSeconds: number;
  reconcileConcurrency: number;
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  maxAttempts: 8,
  retryDelaySeconds: 5,
  leaseSeconds: 120,
  batchSize: 5,
  pollingIntervalSeconds: 1,
  reconcileCron: '17 * * * *',
  sweepCron: '* * * * *',
  sweepAfterSeconds: 60,
  reconcileConcurrency: 4,
};

export interface WebhookModuleInputs {
  dataSource: DataSource;
  logger: Logger;
  webhookSecret: string;
  stripe: StripeObjects;
  resolvePrice?: PriceCodeResolver;
  hooks?: WebhookHooks;
  settings?: Partial<WebhookSettings>;
}

export interface WebhookModule {
  receive: ReceiveStripeWebhook;
  processEvent: ProcessWebhookEvent;
  listEvents(query: { status?: WebhookEventStatus; type?: string; limit: number; startingAfter?: string }): Promise<{
    rows: WebhookEventRow[];
    hasMore: boolean;
  }>;
  findEvent(id: string): Promise<WebhookEventRow | undefined>;
  countByStatus(): Promise<Partial<Record<WebhookEventStatus, number>>>;
  replay(id: string): Promise<WebhookEventRow>;
  replayRange(range: { from: Date; to: Date }): Promise<RangeReplay>;
  reconcile(trigger: 'manual' | 'schedule'): Promise<ReconciliationReport>;
  listReconciliations(query: { limit: number; before?: string }): ReturnType<typeof recentReconciliationRuns>;
  /** Re-queues stored events that no job carries; returns how many. */
  sweep(olderThanSeconds?: number): Promise<number>;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  /** Stops processing events while the worker keeps running otherwise; deliveries are still accepted. */
  pauseProcessing(): Promise<void>;
  resumeProcessing(): Promise<void>;
}

/** Builds the webhook module: inbox receiver, processor, pg-boss worker, replay and reconciliation. */
export function buildWebhookModule(inputs: WebhookModuleInputs): WebhookModule {
  const { dataSource, logger } = inputs;
  const settings = { ...DEFAULT_WEBHOOK_SETTINGS, ...inputs.settings };
  const resolvePrice = inputs.resolvePrice ?? priceCodeResolver();
  const dbOptions = dataSource.options as PostgresConnectionOptions;
  const queue = new WebhookQueue(
    {
      connectionString: dbOptions.url ?? '',
      schema: dbOptions.schema ? `pgboss_${dbOptions.schema}` : 'pgboss',
      retryLimit: settings.maxAttempts + 2,
      retryDelaySeconds: settings.retryDelaySeconds,
      expireInSeconds: settings.leaseSeconds,
      batchSize: settings.batchSize,
      pollingIntervalSeconds: settings.pollingIntervalSeconds,
      reconcileCron: settings.reconcileCron,
      sweepCron: settings.sweepCron,
    },
    logger,
  );
  const processEvent = webhookEventProcessor({
    dataSource,
    stripe: inputs.stripe,
    resolvePrice,
    hooks: inputs.hooks ?? {},
    logger,
    maxAttempts: settings.maxAttempts,
    leaseSeconds: settings.leaseSeconds,
  });
  const reconcile = (trigger: 'manual' | 'schedule') =>
    reconcileSubscriptions(
      { dataSource, stripe: inputs.stripe, resolvePrice, logger, concurrency: settings.reconcileConcurrency },
      trigger,
    );
  const sweep = async (olderThanSeconds = settings.sweepAfterSeconds) => {
    if (!queue.running) return 0;
    const ids = await webhookInbox.strandedIds(dataSource.manager, olderThanSeconds);
    for (const id of ids) await queue.enqueue(id);
    return ids.length;
  };
  return {
    receive: stripeWebhookReceiver({
      dataSource,
      webhookSecret: inputs.webhookSecret,
      enqueue: (id, db) => queue.enqueue(id, db),
      wake: () => queue.wake(),
    }),
    processEvent,
    listEvents: (query) => webhookInbox.list(dataSource.manager, query),
    findEvent: (id) => webhookInbox.find(dataSource.manager, id),
    countByStatus: () => webhookInbox.countByStatus(dataSource.manager),
    replay: (id) => replayWebhookEvent({ dataSource, processEvent }, id),
    replayRange: (range) => replayWebhookRange({ dataSource, processEvent }, range),
    reconcile,
    listReconciliations: (query) => recentReconciliationRuns(dataSource.manager, query),
    sweep,
    startWorker: async () => {
      await queue.start({
        processEvent,
        sweep: async () => void (await sweep()),
        reconcile: async () => void (await reconcile('schedule')),
      });
      // Events stored while no worker ran (a crash between storing and queueing) are queued now.
      const requeued = await sweep(0);
      if (requeued > 0) logger.info('queued stored webhook events', { count: requeued });
    },
    stopWorker: () => queue.stop(),
    pauseProcessing: () => queue.pause(),
    resumeProcessing: () => queue.resume(),
  };
}
