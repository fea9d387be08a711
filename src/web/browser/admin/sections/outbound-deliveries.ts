import { actionButton, canAct } from '../actions';
import { dataTable, h, scrollable } from '../dom';
import type { SectionContext } from '../section';

interface Delivery {
  id: string;
  event_id: string;
  event_type: string;
  account_id: string | null;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  last_response_code: number | null;
  last_attempt_at: string | null;
}

/** One endpoint's latest deliveries (GET …/deliveries), each with a confirmed "Replay" for operators. */
export async function deliveriesTable(
  endpoint: { id: string; url: string },
  status: HTMLElement,
  context: SectionContext,
): Promise<HTMLElement> {
  const base = `/admin/v1/event-endpoints/${encodeURIComponent(endpoint.id)}`;
  const { data } = await context.api.json<{ data: Delivery[] }>(`${base}/deliveries?limit=20`);
  const replay = (d: Delivery) =>
    canAct(context)
      ? actionButton({
          label: 'Replay',
          name: `replay-delivery-${d.id}`,
          confirm: `Deliver ${d.event_type} (${d.event_id}) to ${endpoint.url} again?`,
          status,
          context,
          run: async () => {
            await context.api.send('POST', `${base}/deliveries/${encodeURIComponent(d.id)}/replay`);
            return `Delivery ${d.id} of ${d.event_id} queued again.`;
          },
        })
      : '';
  return scrollable(
    dataTable({
      caption: `Latest deliveries to ${endpoint.url}`,
      columns: [
        { label: 'Event' },
        { label: 'Type' },
        { label: 'Account' },
        { label: 'Status' },
        { label: 'Attempts', numeric: true },
        { label: 'Last answer', numeric: true },
        { label: 'Last attempt' },
        { label: 'Replay' },
      ],
      rows: data.map((d) => [
        h('code', {}, d.event_id),
        d.event_type,
        d.account_id ?? '',
        h('span', { 'data-delivery-status': d.status }, d.status),
        d.attempts,
        d.last_response_code ?? '',
        d.last_attempt_at ? context.formats.dateTime(d.last_attempt_at) : '',
        replay(d),
      ]),
      empty: 'No delivery yet.',
    }),
    `Deliveries to ${endpoint.url}`,
  );
}
