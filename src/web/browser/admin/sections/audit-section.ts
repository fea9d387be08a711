import { csvButton } from '../actions';
import { dataTable, h, scrollable } from '../dom';
import type { SectionRenderer } from '../section';

interface AuditEntry {
  id: string;
  actor: { id: string; name: string; role: string };
  action: string;
  target: string | null;
  status: number;
  outcome: string;
  occurred_at: string;
}

/** Who did what: every operator action in the chosen range, newest first, and its CSV. */
export const renderAudit: SectionRenderer = async (body, context) => {
  const query = new URLSearchParams({
    from: context.range.from.toISOString(),
    to: context.range.to.toISOString(),
    limit: '200',
  });
  const { data } = await context.api.json<{ data: AuditEntry[] }>(`/admin/v1/audit-log?${query}`);
  body.append(
    h(
      'p',
      {},
      `Signed in as ${context.operator.name} (${context.operator.role}). `,
      csvButton(context, `/admin/v1/audit-log?${query}&limit=1000`, 'audit-log.csv', 'Download audit log CSV'),
    ),
    scrollable(
      dataTable({
        caption: 'Operator actions in the range, newest first',
        columns: [{ label: 'When' }, { label: 'Who' }, { label: 'What' }, { label: 'Target' }, { label: 'Outcome' }],
        rows: data.map((e) => [
          context.formats.dateTime(e.occurred_at),
          `${e.actor.name} (${e.actor.role})`,
          h('code', {}, e.action),
          e.target ?? '',
          `${e.outcome} (${e.status})`,
        ]),
        empty: 'No operator action in this range.',
      }),
      'Audit log',
    ),
  );
};
