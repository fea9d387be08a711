import client from 'prom-client';
import type { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';

/**
 * Gauges read from PostgreSQL at scrape time: the same figures on every instance (they describe
 * the shared database), so dashboards take max() across instances. A failing read leaves the last
 * values: /metrics itself keeps answering while the database is away.
 */
export function registerDatabaseMetrics(registry: client.Registry, dataSource: DataSource): void {
  const registers = [registry];
  // NOTE: where the webhook module's pg-boss keeps its jobs (webhook-module.ts): one per app schema.
  const appSchema = (dataSource.options as PostgresConnectionOptions).schema;
  const queueSchema = (appSchema ? `pgboss_${appSchema}` : 'pgboss').replace(/"/g, '""');
  const read = async <T>(sql: string, params: unknown[] = []): Promise<T[] | undefined> =>
    (dataSource.query(sql, params) as Promise<T[]>).catch(() => undefined);

  new client.Gauge({
    name: 'tierlift_billing_operations',
    help: 'Journalled billing operations by state.',
    labelNames: ['state'],
    registers,
    async collect() {
      const rows = await read<{ state: string; n: number }>(
        'SELECT state, count(*)::int AS n FROM billing_operations GROUP BY state',
      );
      if (!rows) return;
      this.reset();
      for (const state of ['claimed', 'sent', 'awaiting_customer', 'completed', 'failed']) this.set({ state }, 0);
      for (const row of rows) this.set({ state: row.state }, row.n);
    },
  });
  new client.Gauge({
    name: 'tierlift_billing_operation_oldest_age_seconds',
    help: 'Age of the oldest unfinished billing operation by state (0: none); a growing value is a stuck operation.',
    labelNames: ['state'],
    registers,
    async collect() {
      const rows = await read<{ state: string; age: number }>(
        `SELECT state, extract(epoch FROM now() - min(created_at))::float AS age FROM billing_operations
         WHERE state IN ('claimed', 'sent', 'awaiting_customer') GROUP BY state`,
      );
      if (!rows) return;
      for (const state of ['claimed', 'sent', 'awaiting_customer'])
        this.set({ state }, rows.find((row) => row.state === state)?.age ?? 0);
    },
  });
  new client.Gauge({
    name: 'tierlift_webhook_lag_seconds',
    help: 'Webhook processing lag: oldest_waiting (age of the oldest event received and not yet processed, 0: none) and last_processed (receipt to processing of the latest processed event).',
    labelNames: ['measure'],
    registers,
    async collect() {
      const rows = await read<{ waiting: number | null; last: number | null }>(
        `SELECT (SELECT extract(epoch FROM now() - min(received_at))::float FROM webhook_events
                 WHERE status IN ('received', 'processing', 'failed')) AS waiting,
                (SELECT extract(epoch FROM processed_at - received_at)::float FROM webhook_events
                 WHERE processed_at IS NOT NULL ORDER BY processed_at DESC LIMIT 1) AS last`,
      );
      const row = rows?.[0];
      if (!row) return;
      this.set({ measure: 'oldest_waiting' }, row.waiting ?? 0);
      this.set({ measure: 'last_processed' }, row.last ?? 0);
    },
  });
  new client.Gauge({
    name: 'tierlift_job_queue_depth',
    help: 'Jobs in the PostgreSQL job queue (pg-boss) by queue and state (created, retry, active).',
    labelNames: ['queue', 'state'],
    registers,
    async collect() {
      const rows = await read<{ name: string; state: string; n: number }>(
        `SELECT name, state::text AS state, count(*)::int AS n FROM "${queueSchema}".job
         WHERE state IN ('created', 'retry', 'active') GROUP BY name, state`,
      );
      if (!rows) return;
      this.reset();
      for (const row of rows) this.set({ queue: row.name, state: row.state }, row.n);
    },
  });
  new client.Gauge({
    name: 'tierlift_refund_claims',
    help: 'Refund claims by state (claimed, refunded, completed, failed).',
    labelNames: ['state'],
    registers,
    async collect() {
      const rows = await read<{ state: string; n: number }>(
        'SELECT state, count(*)::int AS n FROM refund_claims GROUP BY state',
      );
      if (!rows) return;
      for (const state of ['claimed', 'refunded', 'completed', 'failed'])
        this.set({ state }, rows.find((row) => row.state === state)?.n ?? 0);
    },
  });
  new client.Gauge({
    name: 'tierlift_refunded_amount',
    help: 'Money refunded through claims, in minor units of each currency.',
    labelNames: ['currency'],
    registers,
    async collect() {
      const rows = await read<{ currency: string; amount: string }>(
        `SELECT currency, sum(amount)::text AS amount FROM refund_claims
         WHERE state IN ('refunded', 'completed') GROUP BY currency`,
      );
      if (!rows) return;
      for (const row of rows) this.set({ currency: row.currency }, Number(row.amount));
    },
  });
  new client.Gauge({
    name: 'tierlift_prompt_events',
    help: 'Prompt events recorded (all time; use delta()): impressions (first showing of a prompt each day), clicks, dismissals, snoozes, nevers.',
    labelNames: ['type'],
    registers,
    async collect() {
      const rows = await read<{ type: string; n: number }>(
        'SELECT type, count(*)::int AS n FROM offer_events GROUP BY type',
      );
      if (!rows) return;
      for (const type of ['impression', 'click', 'dismiss', 'snooze', 'never'])
        this.set({ type }, rows.find((row) => row.type === type)?.n ?? 0);
    },
  });
  new client.Gauge({
    name: 'tierlift_prompt_conversions',
    help: 'Purchases paid within 7 days after the account clicked a prompt (all time; use delta()).',
    registers,
    async collect() {
      // NOTE: the funnel's attribution (analytics.repository.ts), with its default 7-day window.
      const rows = await read<{ n: number }>(
        `SELECT count(*)::int AS n FROM purchases p WHERE EXISTS (
           SELECT 1 FROM offer_events e WHERE e.account_id = p.account_id AND e.type = 'click'
             AND e.occurred_at <= p.paid_at AND e.occurred_at > p.paid_at - interval '7 days')`,
      );
      if (rows?.[0]) this.set(rows[0].n);
    },
  });
}
