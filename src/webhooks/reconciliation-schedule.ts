import PgBoss from 'pg-boss';
import type { Logger } from '../shared/logger';

const RECONCILE_QUEUE = 'subscription-reconciliation';
/** Queues of the inbox's former pg-boss worker: their schedule is dropped when found (see start()). */
const RETIRED_SWEEP_QUEUE = 'stripe-webhook-sweep';

export interface ReconciliationScheduleOptions {
  connectionString: string;
  /** pg-boss's own schema, `pgboss_<app schema>` so each app schema gets its own queue. */
  schema: string;
  /** Cron of the reconciliation run; undefined: not scheduled by this instance (it still runs due runs). */
  cron?: string;
}

/**
 * The hourly reconciliation on pg-boss: its cron fires once across all instances and whichever
 * instance fetches the job runs it. (Webhook events themselves are not pg-boss jobs: the inbox row
 * is the job, webhook-event-worker.ts.)
 */
export class ReconciliationSchedule {
  private boss: PgBoss | undefined;

  constructor(
    private readonly options: ReconciliationScheduleOptions,
    private readonly logger: Logger,
  ) {}

  async start(reconcile: () => Promise<void>): Promise<void> {
    if (this.boss) return;
    const o = this.options;
    const boss = new PgBoss({
      connectionString: o.connectionString,
      schema: o.schema,
      max: 2,
      application_name: 'tierlift-queue',
    });
    boss.on('error', (error) => this.logger.error('job queue error', { error: error.message }));
    await boss.start();
    await ensureQueue(boss, { name: RECONCILE_QUEUE, expireInSeconds: 3600, retryLimit: 2 });
    this.boss = boss;
    // NOTE: a database upgraded from the pg-boss inbox keeps the sweep's cron, which would queue
    // jobs no worker takes any more: the inbox needs no sweep (a lapsed lease makes a row due again).
    await boss.unschedule(RETIRED_SWEEP_QUEUE).catch(() => undefined);
    await boss.work(RECONCILE_QUEUE, async () => reconcile());
    if (o.cron) await boss.schedule(RECONCILE_QUEUE, o.cron);
  }

  async stop(timeoutMs = 3000): Promise<void> {
    const boss = this.boss;
    if (!boss) return;
    this.boss = undefined;
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
