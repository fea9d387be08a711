import { actionButton, canAct, statusLine } from '../actions';
import { dataTable, h, scrollable } from '../dom';
import type { SectionRenderer } from '../section';
import { deliveriesTable } from './outbound-deliveries';
import { endpointForm } from './outbound-endpoint-form';

interface Endpoint {
  id: string;
  url: string;
  event_types: string[];
  status: string;
  disabled_reason: string | null;
  health: { delivered_24h: number; failed_24h: number; pending: number; oldest_pending_at: string | null };
}

/**
 * Outbound event endpoints: register one (operators), their delivery health over 24 hours, each
 * endpoint's delivery log with a replay per delivery, and a replay of the chosen range.
 */
export const renderOutbound: SectionRenderer = async (body, context) => {
  const answer = await context.api.optional<{ data: Endpoint[] }>('/admin/v1/event-endpoints');
  if (!answer) {
    body.append(h('p', { class: 'meta' }, 'Outbound event endpoints are not available on this service yet.'));
    return;
  }
  const status = statusLine();
  const { from, to } = context.range;
  body.append(
    status,
    scrollable(
      dataTable({
        caption: 'Endpoints and the last 24 hours of deliveries',
        columns: [
          { label: 'Endpoint' },
          { label: 'Status' },
          { label: 'Delivered', numeric: true },
          { label: 'Failed', numeric: true },
          { label: 'Pending', numeric: true },
          { label: 'Replay' },
        ],
        rows: answer.data.map((e) => [
          e.url,
          e.disabled_reason ? `${e.status} (${e.disabled_reason})` : e.status,
          e.health.delivered_24h,
          e.health.failed_24h,
          e.health.pending,
          canAct(context)
            ? actionButton({
                label: 'Replay range',
                name: `replay-endpoint-${e.id}`,
                confirm: `Deliver again every event of ${e.url} in the chosen range?`,
                status,
                context,
                run: async () => {
                  const res = await context.api.send<{ queued: number }>(
                    'POST',
                    `/admin/v1/event-endpoints/${encodeURIComponent(e.id)}/replay`,
                    { from: from.toISOString(), to: to.toISOString() },
                  );
                  return `Replay of ${e.url}: ${res.queued} deliveries queued.`;
                },
              })
            : '',
        ]),
        empty: 'No endpoint registered.',
      }),
      'Outbound endpoints',
    ),
    ...(await Promise.all(answer.data.map((e) => deliveriesTable(e, status, context)))),
    ...(canAct(context) ? [endpointForm(status, context)] : []),
  );
};
