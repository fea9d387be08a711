import type { Experiment, ExperimentResults, List } from '../api-types';
import { chartFigure, drawChart, PALETTE } from '../charts';
import { dataTable, h, scrollable } from '../dom';
import type { Formats } from '../format';
import type { SectionContext, SectionRenderer } from '../section';

const ORDER = { running: 0, stopped: 1, draft: 2 } as const;

/** Every experiment; started ones with their results: rates with intervals, uplift, verdict, SRM. */
export const renderExperiments: SectionRenderer = async (body, context) => {
  const { data } = await context.api.json<List<Experiment>>('/admin/v1/experiments');
  if (data.length === 0) {
    body.append(h('p', {}, 'No experiments yet.'));
    return;
  }
  const experiments = [...data].sort((a, b) => ORDER[a.status] - ORDER[b.status] || a.key.localeCompare(b.key));
  for (const experiment of experiments) {
    const article = h('article', {
      class: 'experiment',
      id: `experiment-${experiment.key}`,
      'data-experiment': experiment.key,
    });
    body.append(article);
    article.append(
      h(
        'h3',
        {},
        h('code', {}, experiment.key),
        ' ',
        h('span', { class: `badge badge-${experiment.status}` }, experiment.status),
      ),
      h('p', { class: 'hypothesis' }, experiment.hypothesis),
      h(
        'p',
        { class: 'meta' },
        `Rule ${experiment.rule_id} · weights ${experiment.variants.map((v) => `${v.key} ${v.weight}`).join(' / ')}`,
        experiment.holdout > 0 ? ` · holdout ${context.formats.percent(experiment.holdout)}` : '',
        ` · planned ${context.formats.count(experiment.planned_sample_size)} per variant`,
        ` · ${experiment.primary_metric.type.replace(/_/g, ' ')} within ${experiment.primary_metric.window_days} days`,
        experiment.started_at ? ` · started ${context.formats.date(experiment.started_at)}` : '',
      ),
    );
    if (experiment.status === 'draft') {
      article.append(h('p', {}, 'Draft: no exposures until it is started.'));
      continue;
    }
    const results = await context.api.json<ExperimentResults>(
      `/admin/v1/experiments/${encodeURIComponent(experiment.key)}/results`,
    );
    renderResults(article, experiment, results, context);
  }
};

function renderResults(
  article: HTMLElement,
  experiment: Experiment,
  results: ExperimentResults,
  context: SectionContext,
) {
  const f = context.formats;
  const variants = results.arms.filter((arm) => arm.variant !== 'holdout');
  if (results.sample_ratio.mismatch) article.append(srmWarning(experiment, results, f));
  const table = dataTable({
    caption: `${experiment.key}: conversion per arm with 95% Wilson intervals`,
    className: 'data arms',
    columns: [
      { label: 'Arm' },
      { label: 'Exposures', numeric: true },
      { label: 'Conversions', numeric: true },
      { label: 'Conversion rate', numeric: true },
      { label: '95% interval', numeric: true },
      { label: 'Revenue per exposed account', numeric: true },
      { label: 'Dismiss rate', numeric: true },
    ],
    rows: results.arms.map((arm) => [
      arm.variant,
      f.count(arm.exposures),
      f.count(arm.conversions.successes),
      f.percent(arm.conversions.rate),
      f.interval(arm.conversions.lower, arm.conversions.upper),
      results.currency ? f.money(arm.revenue_per_account.mean, results.currency) : '—',
      f.percent(arm.dismissals.rate),
    ]),
  });
  const description =
    `Conversion rate per arm of ${experiment.key} with 95% intervals: ` +
    results.arms
      .map(
        (arm) =>
          `${arm.variant} ${f.percent(arm.conversions.rate)} (${f.interval(arm.conversions.lower, arm.conversions.upper)})`,
      )
      .join('; ');
  const { figure, canvas } = chartFigure({
    id: `chart-experiment-${experiment.key}`,
    title: 'Conversion rate per arm (bar: 95% interval, diamond: observed rate)',
    description,
    table: scrollable(table, `${experiment.key} arms`),
  });
  article.append(figure);
  drawChart(canvas, {
    type: 'bar',
    data: {
      labels: results.arms.map((arm) => arm.variant),
      datasets: [
        {
          type: 'bar',
          label: '95% interval',
          data: results.arms.map((arm) => [arm.conversions.lower * 100, arm.conversions.upper * 100]),
          backgroundColor: 'rgba(29, 78, 216, 0.25)',
          borderColor: PALETTE[0],
          borderWidth: 1,
          barPercentage: 0.35,
        },
        {
          type: 'line',
          label: 'Conversion rate',
          data: results.arms.map((arm) => arm.conversions.rate * 100),
          showLine: false,
          pointStyle: 'rectRot',
          pointRadius: 7,
          backgroundColor: PALETTE[1],
          borderColor: PALETTE[1],
        },
      ],
    },
    options: {
      scales: {
        x: { title: { display: true, text: 'Arm' } },
        y: {
          beginAtZero: true,
          suggestedMax: Math.min(100, Math.max(...results.arms.map((arm) => arm.conversions.upper * 100), 1) * 1.1),
          title: { display: true, text: 'Conversion rate (%)' },
        },
      },
    },
  });
  article.append(comparisonsTable(experiment, results, f));
  if (variants.length < 2) article.append(h('p', {}, 'Only one variant: nothing to compare.'));
}

function srmWarning(experiment: Experiment, results: ExperimentResults, f: Formats): HTMLElement {
  const total = experiment.variants.reduce((sum, v) => sum + v.weight, 0);
  const observed = experiment.variants
    .map((v) => `${v.key} ${f.count(results.arms.find((arm) => arm.variant === v.key)?.exposures ?? 0)}`)
    .join(' / ');
  const planned = experiment.variants.map((v) => `${v.key} ${f.percent(v.weight / total)}`).join(' / ');
  return h(
    'div',
    { class: 'warning srm-warning', role: 'note', 'aria-label': 'Sample ratio mismatch warning' },
    h('strong', {}, 'Sample ratio mismatch.'),
    ` The split between variants (${observed} exposures) does not match the planned weights (${planned}): `,
    `χ² = ${results.sample_ratio.statistic.toFixed(1)}, ${f.pValue(results.sample_ratio.p_value)}. `,
    'Fix assignment before reading these results.',
  );
}

function comparisonsTable(experiment: Experiment, results: ExperimentResults, f: Formats): HTMLElement {
  return scrollable(
    dataTable({
      caption: `${experiment.key}: each variant against the control`,
      className: 'data comparisons',
      columns: [
        { label: 'Comparison' },
        { label: 'Difference (B − A)', numeric: true },
        { label: '95% interval', numeric: true },
        { label: 'Relative uplift', numeric: true },
        { label: 'Uplift 95% interval', numeric: true },
        { label: 'z-test', numeric: true },
        { label: 'Verdict' },
      ],
      rows: results.comparisons.map((c) => [
        `${c.treatment} vs ${c.control}`,
        f.signedPercent(c.difference.value),
        `${f.signedPercent(c.difference.lower)} – ${f.signedPercent(c.difference.upper)}`,
        c.relative_uplift ? f.signedPercent(c.relative_uplift.value) : '— (needs conversions in both arms)',
        c.relative_uplift
          ? `${f.signedPercent(c.relative_uplift.lower)} – ${f.signedPercent(c.relative_uplift.upper)}`
          : '—',
        `z = ${c.z_test.z.toFixed(2)}, ${f.pValue(c.z_test.p_value)}`,
        h(
          'span',
          { class: `verdict verdict-${c.verdict.kind}` },
          h('strong', {}, c.verdict.kind.replace(/_/g, ' ')),
          ': ',
          c.verdict.words,
        ),
      ]),
      empty: 'No comparison.',
    }),
    `${experiment.key} comparisons`,
  );
}
