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
import { pgPoolOf } from '../usage/pg-pool';
import { webhookEventWorker } from './webhook-event-worker';
import { webhookInbox } from './webhook-inbox.repository';
import { webhookInboxQueue, type InboxDelivery } from './webhook-inbox-queue';
import { GroupCommit } from '../shared/database/group-commit';
import { isDatabaseUnavailable } from '../shared/database/database-errors';
import { ReconciliationSchedule } from './reconciliation-schedule';

export interface WebhookSettings {
  /** Failed attempts before an event is `dead` (replay revives it). */
  maxAttempts: number;
  /** The back-off after the first failure; it doubles after each next one (±20%, at most an hour). */
  retryDelaySeconds: number;
  /** A claim this old is presumed lost with its worker: the event is due again. */
  leaseSeconds: number;
  /** Events a worker claims at once and handles in parallel (each holds a pool connection). */
  batchSize: number;
  /** How often an idle worker looks for due events (its own instance's deliveries wake it at once). */
  pollingIntervalSeconds: number;
  /**
   * Insert statements the intake keeps outstanding at once (each holds a pool connection while it
   * runs); deliveries that arrive while they are busy are stored together by the next one.
   */
  intakeStatements: number;
  /** Deliveries stored by one statement at most. */
  intakeBatch: number;
  /** Undefined: this instance does not schedule reconciliation. */
  reconcileCron?: string;
  reconcileConcurrency: number;
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  maxAttempts: 8,
  retryDelaySeconds: 5,
  leaseSeconds: 120,
  batchSize: 5,
  pollingIntervalSeconds: 1,
  intakeStatements: 2,
  intakeBatch: 100,
  reconcileCron: '17 * * * *',
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
  /** Starts the event worker and the reconciliation schedule. */
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  /** Stops processing events (the round in flight finishes); deliveries are still accepted and kept. */
  pauseProcessing(): Promise<void>;
  resumeProcessing(): Promise<void>;
}

/** Builds the webhook module: inbox receiver, processor, event worker, replay and reconciliation. */
export function buildWebhookModule(inputs: WebhookModuleInputs): WebhookModule {
  const { dataSource, logger } = inputs;
  const settings = { ...DEFAULT_WEBHOOK_SETTINGS, ...inputs.settings };
  const resolvePrice = inputs.resolvePrice ?? priceCodeResolver();
  const dbOptions = dataSource.options as PostgresConnectionOptions;
  const pool = () => pgPoolOf(dataSource);
  const schedule = new ReconciliationSchedule(
    {
      connectionString: dbOptions.url ?? '',
      schema: dbOptions.schema ? `pgboss_${dbOptions.schema}` : 'pgboss',
      cron: settings.reconcileCron,
    },
    logger,
  );
  const { processEvent, handleClaimed } = webhookEventProcessor({
    dataSource,
    stripe: inputs.stripe,
    resolvePrice,
    hooks: inputs.hooks ?? {},
    logger,
    maxAttempts: settings.maxAttempts,
    leaseSeconds: settings.leaseSeconds,
    retryDelaySeconds: settings.retryDelaySeconds,
  });
  const worker = webhookEventWorker({
    pool,
    handleClaimed,
    logger,
    batchSize: settings.batchSize,
    leaseSeconds: settings.leaseSeconds,
    pollingIntervalSeconds: settings.pollingIntervalSeconds,
  });
  const reconcile = (trigger: 'manual' | 'schedule') =>
    reconcileSubscriptions(
      { dataSource, stripe: inputs.stripe, resolvePrice, logger, concurrency: settings.reconcileConcurrency },
      trigger,
    );
  // NOTE: deliveries arriving together are stored by one statement (group-commit.ts): Stripe sends
  // them in parallel, and the round trip per statement, not the rows, is what the accept costs.
  const intake = new GroupCommit<InboxDelivery, boolean>({
    flush: (deliveries) => webhookInboxQueue.storeMany(pool(), deliveries),
    maxInFlight: settings.intakeStatements,
    maxBatch: settings.intakeBatch,
    retryAlone: (error) => !isDatabaseUnavailable(error),
  });
  const replayDeps = { dataSource, processEvent, holdSeconds: settings.leaseSeconds };
  return {
    receive: stripeWebhookReceiver({
      webhookSecret: inputs.webhookSecret,
      store: (event, json) => intake.submit({ event, json }),
      wake: () => worker.wake(),
    }),
    processEvent,
    listEvents: (query) => webhookInbox.list(dataSource.manager, query),
    findEvent: (id) => webhookInbox.find(dataSource.manager, id),
    countByStatus: () => webhookInbox.countByStatus(dataSource.manager),
    replay: (id) => replayWebhookEvent(replayDeps, id),
    replayRange: (range) => replayWebhookRange(replayDeps, range),
    reconcile,
    listReconciliations: (query) => recentReconciliationRuns(dataSource.manager, query),
    startWorker: async () => {
      await schedule.start(async () => void (await reconcile('schedule')));
      worker.start();
    },
    stopWorker: async () => {
      await worker.stop();
      await schedule.stop();
    },
    pauseProcessing: () => worker.stop(),
    resumeProcessing: async () => {
      worker.start();
    },
  };
}
