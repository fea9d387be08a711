import client from 'prom-client';
import { WEBHOOK_EVENT_STATUSES, type WebhookEventStatus } from './webhook-event';

/**
 * `tierlift_webhook_events{status}`: stored events by status, read at scrape time, so
 * operators can alert on `dead` or a growing `received` backlog.
 */
export function registerWebhookMetrics(
  registry: client.Registry,
  countByStatus: () => Promise<Partial<Record<WebhookEventStatus, number>>>,
): void {
  new client.Gauge({
    name: 'tierlift_webhook_events',
    help: 'Stored Stripe webhook events by status.',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      // NOTE: a failing count leaves the last values; /metrics itself must keep answering.
      const counts = await countByStatus().catch(() => undefined);
      if (!counts) return;
      for (const status of WEBHOOK_EVENT_STATUSES) this.set({ status }, counts[status] ?? 0);
    },
  });
}
