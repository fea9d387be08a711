import type { FunnelRow } from '../api-types';
import { chartFigure, drawChart, PALETTE } from '../charts';
import { csvButton, rangeQuery } from '../actions';
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
export const renderFunnel: SectionRenderer = async (body, context) => {
  const { api, formats: f } = context;
  const { from, to } = context.range;
  const query = new URLSearchParams({ ...rangeQuery(context), group_by: 'offer' });
  const { data } = await api.json<{ data: FunnelRow[] }>(`/admin/v1/analytics/funnel?${query}`);
  body.append(
    h(
      'p',
      {},
      `${f.date(from.toISOString())} to ${f.date(to.toISOString())}, by the offer rule that led to each step (last click within 7 days); conversions no click led to are “(unattributed)”. Click rate: accounts that clicked ÷ accounts shown; paid per clicking account: accounts that paid ÷ accounts that clicked (both 0–100%). `,
      csvButton(context, `/admin/v1/analytics/funnel?${query}&format=csv`, 'funnel.csv', 'Download funnel CSV'),
    ),
  );
  const table = dataTable({
    caption: 'Offer funnel per rule in the range',
    columns: [
      { label: 'Offer rule' },
      ...STAGES.map(([, label]) => ({ label, numeric: true })),
      { label: 'Click rate', numeric: true },
      { label: 'Paid per clicking account', numeric: true },
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
