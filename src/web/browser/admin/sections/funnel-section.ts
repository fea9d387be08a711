import type { FunnelRow } from '../api-types';
import { chartFigure, drawChart, PALETTE } from '../charts';
import { dataTable, h, scrollable } from '../dom';
import type { SectionRenderer } from '../section';

export const FUNNEL_DAYS = 90;
const STAGES = [
  ['impressions', 'Impressions'],
  ['clicks', 'Clicks'],
  ['quotes', 'Quotes'],
  ['paid_changes', 'Paid changes'],
  ['refunds', 'Refunds'],
] as const;

/** The offer funnel of the last 90 days per offer rule: impressions → clicks → quotes → paid → refunds. */
export const renderFunnel: SectionRenderer = async (body, { api, formats: f, now }) => {
  const from = new Date(now.getTime() - FUNNEL_DAYS * 86_400_000);
  const to = new Date(now.getTime() + 3_600_000);
  const query = new URLSearchParams({ from: from.toISOString(), to: to.toISOString(), group_by: 'offer' });
  const { data } = await api.json<{ data: FunnelRow[] }>(`/admin/v1/analytics/funnel?${query}`);
  body.append(
    h(
      'p',
      {},
      `${f.date(from.toISOString())} to ${f.date(now.toISOString())}, by the offer rule that led to each step (last click within 7 days).`,
    ),
  );
  const table = dataTable({
    caption: `Offer funnel per rule, last ${FUNNEL_DAYS} days`,
    columns: [
      { label: 'Offer rule' },
      ...STAGES.map(([, label]) => ({ label, numeric: true })),
      { label: 'Click rate', numeric: true },
      { label: 'Paid per click', numeric: true },
    ],
    rows: data.map((row) => [
      h('code', {}, row.group),
      ...STAGES.map(([field]) => f.count(row[field])),
      f.percent(row.click_rate),
      f.percent(row.conversion_rate),
    ]),
    empty: 'No prompts shown in this period.',
  });
  const description =
    data.length === 0
      ? 'Offer funnel: no prompts shown in this period.'
      : `Offer funnel per rule: ${data
          .map(
            (row) =>
              `${row.group}: ${STAGES.map(([field, label]) => `${row[field]} ${label.toLowerCase()}`).join(', ')}`,
          )
          .join('; ')}`;
  const { figure, canvas } = chartFigure({
    id: 'chart-funnel',
    title: 'Offer funnel: each stage per offer rule',
    description,
    table: scrollable(table, 'Offer funnel table'),
  });
  body.append(figure);
  drawChart(canvas, {
    type: 'bar',
    data: {
      labels: STAGES.map(([, label]) => label),
      datasets: data.map((row, index) => ({
        label: row.group,
        data: STAGES.map(([field]) => row[field]),
        backgroundColor: PALETTE[index % PALETTE.length],
      })),
    },
    options: {
      scales: {
        y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'Count' } },
      },
    },
  });
};
