import PgBoss from 'pg-boss';
import type { Logger } from '../shared/logger';

export const QUEUES = {
  event: 'stripe-webhook-event',
  dead: 'stripe-webhook-event-dead',
  sweep: 'stripe-webhook-sweep',
  reconcile: 'subscription-reconciliation',
} as const;

/** Where pg-boss runs a statement: the pool by default, or a caller's transaction. */
export interface JobDatabase {
  executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface WebhookQueueOptions {
  connectionString: string;
  /** pg-boss's own schema, `pgboss_<app schema>` so each app schema gets its own queue. */
  schema: string;
  /** pg-boss retries before a job is dead-lettered (the inbox row turns `dead` by its own count). */
  retryLimit: number;
  retryDelaySeconds: number;
  /** A job (and an inbox lease) older than this is presumed lost with its worker. */
  expireInSeconds: number;
  batchSize: number;
  pollingIntervalSeconds: number;
  /** Cron of the reconciliation run; undefined: not scheduled by this instance. */
  reconcileCron?: string;
  /** Cron of the sweep that re-enqueues stranded inbox rows. */
  sweepCron: string;
}

export interface QueueWork {
  /** Processes one event; returns 'failed' when pg-boss should retry it later. */
  processEvent(eventId: string): Promise<string>;
  sweep(): Promise<void>;
  reconcile(): Promise<void>;
}

/** The PostgreSQL-backed job queue (pg-boss) behind webhook processing; several instances share it safely. */
export class WebhookQueue {
  private boss: PgBoss | undefined;
  private eventWorkerId: string | undefined;
  private work: QueueWork | undefined;

  constructor(
    private readonly options: WebhookQueueOptions,
    private readonly logger: Logger,
  ) {}

  get running(): boolean {
    return this.boss !== undefined;
  }

  async start(work: QueueWork): Promise<void> {
    if (this.boss) return;
    const o = this.options;
    const boss = new PgBoss({
      connectionString: o.connectionString,
      schema: o.schema,
      max: Math.max(2, o.batchSize),
      application_name: 'tierlift-queue',
    });
    boss.on('error', (error) => this.logger.error('job queue error', { error: error.message }));
    await boss.start();
    await ensureQueue(boss, { name: QUEUES.dead });
    await ensureQueue(boss, {
      name: QUEUES.event,
      // NOTE: 'short' keeps one queued job per event id (singletonKey): a sweep during a long
      // backlog adds nothing for events already waiting; the inbox claim guards the rest.
      policy: 'short',
      retryLimit: o.retryLimit,
      retryDelay: o.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: o.expireInSeconds,
      deadLetter: QUEUES.dead,
    });
    await ensureQueue(boss, { name: QUEUES.sweep, expireInSeconds: 300 });
    await ensureQueue(boss, { name: QUEUES.reconcile, expireInSeconds: 3600, retryLimit: 2 });
    this.boss = boss;

    this.work = work;
    await this.workEvents(boss, work);
    await boss.work(QUEUES.sweep, async () => work.sweep());
    await boss.work(QUEUES.reconcile, async () => work.reconcile());
    await boss.schedule(QUEUES.sweep, o.sweepCron);
    if (o.reconcileCron) await boss.schedule(QUEUES.reconcile, o.reconcileCron);
  }

  /** Stops fetching events (deliveries are still accepted and queued) until `resume()`. */
  async pause(): Promise<void> {
    const boss = this.boss;
    if (!boss || !this.eventWorkerId) return;
    this.eventWorkerId = undefined;
    await boss.offWork(QUEUES.event);
  }

  async resume(): Promise<void> {
    if (this.boss && this.work && !this.eventWorkerId) await this.workEvents(this.boss, this.work);
  }

  private async workEvents(boss: PgBoss, work: QueueWork): Promise<void> {
    const o = this.options;
    this.eventWorkerId = await boss.work<{ eventId: string }>(
      QUEUES.event,
      { batchSize: o.batchSize, pollingIntervalSeconds: o.pollingIntervalSeconds },
      async (jobs) => {
        await Promise.all(
          jobs.map(async (job) => {
            const outcome = await work.processEvent(job.data.eventId);
            // NOTE: fail only this job (backoff retry); pg-boss then completes the rest of the batch.
            if (outcome === 'failed') await boss.fail(QUEUES.event, job.id, { outcome });
          }),
        );
        // NOTE: pg-boss fetches the next batch only after its polling interval unless notified; a
        // full batch means a backlog, so fetch again at once (without this a backlog drained at
        // batchSize events per pollingIntervalSeconds: 5 a second).
        if (jobs.length >= o.batchSize && this.eventWorkerId) boss.notifyWorker(this.eventWorkerId);
      },
    );
  }

  /**
   * Queues an event for processing, through `db` when given (a caller's transaction: call `wake()`
   * after its commit); without a running queue the sweep picks it up on start.
   */
  async enqueue(eventId: string, db?: JobDatabase): Promise<void> {
    const boss = this.boss;
    if (!boss) return;
    await boss.send(QUEUES.event, { eventId }, { singletonKey: eventId, ...(db ? { db } : {}) });
    if (!db) this.wake();
  }

  /** Tells this instance's event worker to fetch now rather than at its next poll. */
  wake(): void {
    if (this.boss && this.eventWorkerId) this.boss.notifyWorker(this.eventWorkerId);
  }

  /** NOTE: a job cut short here is failed by pg-boss and retried; its lease lets another worker take over. */
  async stop(timeoutMs = 3000): Promise<void> {
    const boss = this.boss;
    if (!boss) return;
    this.boss = undefined;
    this.eventWorkerId = undefined;
    await boss.stop({ graceful: true, wait: true, close: true, timeout: timeoutMs });
  }
}

async function ensureQueue(boss: PgBoss, queue: PgBoss.Queue): Promise<void> {
  // NOTE: instances starting together race to create queues (pg-boss 10 takes no lock, and the
  // race can even deadlock); whoever loses retries and finds the queue made.
  for (let attempt = 1; ; attempt += 1) {
    try {
      if (await boss.getQueue(queue.name)) return;
      await boss.createQueue(queue.name, queue);
      return;
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200));
    }
  }
}
