import { currencyExponent } from '../../../../shared/money';
import type { RevenueReport } from '../api-types';
import { chartFigure, drawChart, PALETTE } from '../charts';
import { dataTable, h, scrollable } from '../dom';
import type { SectionRenderer } from '../section';
import { csvButton, rangeQuery } from '../actions';

export const MRR_MONTHS = 6;

/** Calendar months (UTC) ending with the current one, oldest first. */
export function monthsEndingAt(now: Date, count: number): Array<{ from: Date; to: Date; label: string }> {
  return Array.from({ length: count }, (_, i) => {
    const offset = count - 1 - i;
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - offset, 1));
    const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - offset + 1, 1));
    return { from, to, label: from.toISOString().slice(0, 7) };
  });
}

/**
 * MRR now per currency and its movements per month — new, expansion, contraction, churn — from one
 * revenue report per month (the report covers one period; the chart lines them up).
 */
export const renderRevenue: SectionRenderer = async (body, context) => {
  const { api, formats: f } = context;
  // NOTE: the months end at the range's end, which starts from the service's clock, never the browser's.
  const months = monthsEndingAt(new Date(context.range.to.getTime() - 1), MRR_MONTHS);
  const range = new URLSearchParams({ ...rangeQuery(context), format: 'csv' });
  body.append(
    h(
      'p',
      { class: 'csv-row' },
      'CSV of the chosen range: ',
      ...(['movements', 'collected', 'mrr', 'lifetime_value'] as const).map((table) =>
        csvButton(
          context,
          `/admin/v1/analytics/revenue?${range}&table=${table}`,
          `revenue-${table}.csv`,
          table.replace('_', ' '),
        ),
      ),
    ),
  );
  const reports = await Promise.all(
    months.map((m) =>
      api.json<RevenueReport>(
        `/admin/v1/analytics/revenue?${new URLSearchParams({ from: m.from.toISOString(), to: m.to.toISOString() })}`,
      ),
    ),
  );
  const latest = reports[reports.length - 1] as RevenueReport;
  body.append(
    scrollable(
      dataTable({
        caption: 'MRR now per currency',
        columns: [
          { label: 'Currency' },
          { label: 'MRR', numeric: true },
          { label: 'Paying accounts', numeric: true },
          { label: 'ARPA', numeric: true },
          { label: 'Churn rate (this month)', numeric: true },
        ],
        rows: latest.mrr.map((m) => {
          const value = latest.lifetime_value.find((l) => l.currency === m.currency);
          return [
            m.currency.toUpperCase(),
            f.money(m.mrr, m.currency),
            f.count(m.paying_accounts),
            value?.arpa === null || value?.arpa === undefined ? '—' : f.money(value.arpa, m.currency),
            f.percent(value?.churn_rate),
          ];
        }),
        empty: 'No subscriptions yet.',
      }),
      'MRR now',
    ),
  );
  body.append(
    scrollable(
      dataTable({
        caption: 'Collected this month per currency (paid changes and renewals, net of refunds)',
        columns: [
          { label: 'Currency' },
          { label: 'Paid changes', numeric: true },
          { label: 'Renewals', numeric: true },
          { label: 'Renewal invoices', numeric: true },
          { label: 'Refunded', numeric: true },
          { label: 'Net', numeric: true },
        ],
        rows: latest.collected.map((c) => [
          c.currency.toUpperCase(),
          f.money(c.purchases, c.currency),
          f.money(c.renewals, c.currency),
          f.count(c.renewal_invoices),
          f.money(-c.refunded, c.currency),
          f.money(c.net, c.currency),
        ]),
        empty: 'Nothing collected this month yet.',
      }),
      'Collected this month',
    ),
  );
  const currencies = [...new Set(reports.flatMap((r) => r.movements.map((m) => m.currency)))].sort();
  if (currencies.length === 0) {
    body.append(h('p', {}, `No MRR movements in the last ${MRR_MONTHS} months.`));
    return;
  }
  for (const currency of currencies) {
    const series = reports.map((report, index) => ({
      label: (months[index] as { label: string }).label,
      movement: report.movements.find((m) => m.currency === currency) ?? {
        new: 0,
        expansion: 0,
        contraction: 0,
        churn: 0,
        net: 0,
      },
    }));
    const kinds = [
      ['new', 'New', 1],
      ['expansion', 'Expansion', 1],
      ['contraction', 'Contraction', -1],
      ['churn', 'Churn', -1],
    ] as const;
    // Contraction and churn are losses: drawn below zero whatever sign the report uses.
    const signed = (value: number, sign: 1 | -1) => sign * Math.abs(value);
    const table = dataTable({
      caption: `MRR movements per month in ${currency.toUpperCase()}`,
      columns: [
        { label: 'Month' },
        ...kinds.map(([, label]) => ({ label, numeric: true })),
        { label: 'Net', numeric: true },
      ],
      rows: series.map(({ label, movement }) => [
        label,
        ...kinds.map(([field, , sign]) => f.money(signed(movement[field], sign), currency)),
        f.money(movement.net, currency),
      ]),
    });
    const { figure, canvas } = chartFigure({
      id: `chart-mrr-${currency}`,
      title: `MRR movements per month, ${currency.toUpperCase()}`,
      description: `MRR movements per month in ${currency.toUpperCase()}: ${series
        .map(
          ({ label, movement }) =>
            `${label}: ${kinds.map(([field, name, sign]) => `${name.toLowerCase()} ${f.money(signed(movement[field], sign), currency)}`).join(', ')}`,
        )
        .join('; ')}`,
      table: scrollable(table, `MRR movements ${currency.toUpperCase()}`),
    });
    body.append(figure);
    const major = 10 ** currencyExponent(currency);
    drawChart(canvas, {
      type: 'bar',
      data: {
        labels: series.map((s) => s.label),
        datasets: [
          ...kinds.map(([field, name, sign], index) => ({
            type: 'bar',
            label: name,
            data: series.map((s) => signed(s.movement[field], sign) / major),
            backgroundColor: PALETTE[[2, 0, 1, 3][index] as number],
            stack: 'movements',
          })),
          {
            type: 'line',
            label: 'Net',
            data: series.map((s) => s.movement.net / major),
            borderColor: '#111827',
            backgroundColor: '#111827',
            pointRadius: 4,
          },
        ],
      },
      options: {
        scales: {
          x: { stacked: true },
          y: { stacked: true, title: { display: true, text: `${currency.toUpperCase()} per month` } },
        },
        plugins: {
          tooltip: {
            callbacks: {
              label: (item: { dataset: { label?: string }; parsed: { y: number } }) =>
                `${item.dataset.label}: ${f.money(item.parsed.y * major, currency)}`,
            },
          },
        },
      },
    });
  }
};
