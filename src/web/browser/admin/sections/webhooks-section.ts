import type { List, ReconciliationRun, WebhookEvent } from '../api-types';
import { dataTable, h, scrollable } from '../dom';
import type { SectionRenderer } from '../section';
import { webhookReplayForm } from './webhook-replay';

export const WEBHOOK_STATUSES = ['received', 'processing', 'processed', 'ignored', 'failed', 'dead'] as const;

/** `tierlift_webhook_events{status="…"} n` lines of the Prometheus text at /metrics. */
export function webhookCounts(metrics: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const match of metrics.matchAll(/^tierlift_webhook_events\{status="([a-z_]+)"\}\s+(\d+(?:\.\d+)?)\s*$/gm))
    counts[match[1] as string] = Number(match[2]);
  return counts;
}

/**
 * The Stripe inbox: stored events by status (the gauge /metrics exports), the failed and dead events
 * operators must look at, and the last reconciliation with Stripe.
 */
export const renderWebhooks: SectionRenderer = async (body, context) => {
  const { api, formats: f } = context;
  const replay = webhookReplayForm(context);
  if (replay) body.append(replay);
  const [metrics, failed, dead, runs] = await Promise.all([
    api.text('/metrics'),
    api.json<List<WebhookEvent>>('/admin/v1/webhook-events?status=failed&limit=20'),
    api.json<List<WebhookEvent>>('/admin/v1/webhook-events?status=dead&limit=20'),
    api.json<List<ReconciliationRun>>('/admin/v1/reconciliations?limit=1'),
  ]);
  const counts = webhookCounts(metrics);
  const attention = (counts.failed ?? 0) + (counts.dead ?? 0);
  body.append(
    h(
      'p',
      { class: attention > 0 ? 'warning' : 'ok', 'data-testid': 'inbox-summary' },
      attention > 0
        ? `${f.count(attention)} events need attention (failed or dead).`
        : 'No failed or dead events: the inbox is healthy.',
    ),
    dataTable({
      caption: 'Stored webhook events by status',
      className: 'data inbox-counts',
      columns: [{ label: 'Status' }, { label: 'Events', numeric: true }],
      rows: WEBHOOK_STATUSES.map((status) => [status, f.count(counts[status] ?? 0)]),
    }),
    scrollable(
      dataTable({
        caption: 'Failed and dead events (latest 20 of each)',
        className: 'data problem-events',
        columns: [
          { label: 'Event' },
          { label: 'Type' },
          { label: 'Status' },
          { label: 'Attempts', numeric: true },
          { label: 'Received' },
          { label: 'Last error' },
        ],
        rows: [...dead.data, ...failed.data].map((event) => [
          h('code', {}, event.id),
          event.type,
          event.status,
          f.count(event.attempts),
          f.dateTime(event.received_at),
          event.last_error ?? '—',
        ]),
        empty: 'None.',
      }),
      'Failed and dead events',
    ),
  );
  const last = runs.data[0];
  body.append(
    h('h3', {}, 'Last reconciliation'),
    last
      ? h(
          'dl',
          { class: 'facts reconciliation' },
          h('dt', {}, 'Finished'),
          h('dd', {}, f.dateTime(last.finished_at)),
          h('dt', {}, 'Trigger'),
          h('dd', {}, last.trigger),
          h('dt', {}, 'Subscriptions and customers checked'),
          h('dd', {}, f.count(last.checked)),
          h('dt', {}, 'Repaired'),
          h('dd', {}, f.count(last.changed)),
        )
      : h('p', {}, 'No reconciliation has run yet.'),
  );
};
